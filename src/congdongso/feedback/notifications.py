"""Notification channels for feedback: an interface, a registry, and the email and webhook channels.

A channel is anything with a `name`, `wants(message)` and `send(message)`. `wants` says, when an
event happens, whether the channel has someone to tell (it is asked inside the report's transaction,
and a delivery row is written for each channel that says yes); `send` does the telling later, from a
background task, and raises DeliveryError (or any exception) when it could not — the task counts the
attempt and retries. Messages carry codes, place names, dates and a link, never the resident's text
or contact details.

A Zalo Official Account channel fits the same shape: `wants` would accept status events of reports
whose sender consented to contact, and `send` would look the report up by `message.report_id` to
reach the sender's phone through the OA API; register it with `register_channel` in
FeedbackConfig.ready().
"""

import hashlib
import hmac
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from congdongso.accounts.models import Role, RoleAssignment, User
from congdongso.teams.models import Membership

CREATED = "created"
ASSIGNED = "assigned"
STATUS = "status"
EVENTS = (CREATED, ASSIGNED, STATUS)


class DeliveryError(Exception):
    """A channel could not deliver; the message (no personal data) is shown to officers."""


@dataclass(frozen=True)
class Message:
    event: str
    report_id: int
    payload: dict = field(default_factory=dict)

    @property
    def subject(self) -> str:
        p = self.payload
        with translation.override("vi"):
            if self.event == CREATED:
                return _("[Phản ánh mới] %(code)s — %(category)s — %(place)s") % p
            if self.event == ASSIGNED:
                return _("[Phản ánh được giao] %(code)s — %(category)s — %(place)s") % p
            return _("[Phản ánh %(code)s] %(status)s") % p

    @property
    def body(self) -> str:
        p = self.payload
        with translation.override("vi"):
            lines = [
                _("Mã theo dõi: %(code)s") % p,
                _("Loại: %(category)s") % p,
                _("Địa bàn: %(place)s") % p,
                _("Trạng thái: %(status)s") % p,
                _("Hạn xử lý: %(due_on)s") % p,
            ]
            if p.get("url"):
                lines.append(_("Xem và xử lý: %(url)s") % p)
            lines += ["", _("Thư tự động từ Cộng Đồng Số. Nội dung phản ánh và thông tin liên hệ chỉ xem trong ứng dụng.")]
        return "\n".join(lines)


@runtime_checkable
class Channel(Protocol):
    name: str

    def wants(self, message: Message) -> bool: ...

    def send(self, message: Message) -> None: ...


_channels: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    _channels[channel.name] = channel


def unregister_channel(name: str) -> None:
    _channels.pop(name, None)


def get_channel(name: str) -> Channel | None:
    return _channels.get(name)


def channels() -> list[Channel]:
    return list(_channels.values())


# --- email ----------------------------------------------------------------------------------------


class EmailChannel:
    """Email through the default mailer: new reports to the commune's officers (and FEEDBACK_EMAIL_TO),
    assignments to the person or team given the report."""

    name = "email"

    def recipients(self, message: Message) -> list[str]:
        p = message.payload
        if message.event == CREATED:
            users = User.objects.filter(
                pk__in=RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit_id=p.get("commune_id")).values(
                    "user_id"
                )
            )
            extra = list(getattr(settings, "FEEDBACK_EMAIL_TO", []) or [])
        elif message.event == ASSIGNED:
            if p.get("assigned_user_id"):
                users = User.objects.filter(pk=p["assigned_user_id"])
            else:
                users = User.objects.filter(
                    pk__in=Membership.objects.filter(team_id=p.get("assigned_team_id"), left_on__isnull=True).values(
                        "user_id"
                    )
                )
            extra = []
        else:
            return []
        emails = list(users.filter(is_active=True).exclude(email="").order_by("pk").values_list("email", flat=True))
        return list(dict.fromkeys(emails + extra))

    def wants(self, message: Message) -> bool:
        return bool(getattr(settings, "FEEDBACK_EMAIL_ENABLED", False)) and bool(self.recipients(message))

    def send(self, message: Message) -> None:
        to = self.recipients(message)
        if not to:
            raise DeliveryError(_("Không còn địa chỉ email nào để gửi."))
        EmailMessage(subject=message.subject, body=message.body, to=to).send(using="default")


# --- webhook --------------------------------------------------------------------------------------


class WebhookChannel:
    """POST the event as JSON to FEEDBACK_WEBHOOK_URL (a commune's own system, a chat bridge…).

    With FEEDBACK_WEBHOOK_SECRET set, the body is signed: `X-Congdongso-Signature: sha256=<hex HMAC>`.
    Any answer other than 2xx, and any network error, counts as a failed attempt.
    """

    name = "webhook"
    timeout = 10

    def url(self) -> str:
        return getattr(settings, "FEEDBACK_WEBHOOK_URL", "") or ""

    def wants(self, message: Message) -> bool:
        return self.url().startswith(("http://", "https://"))

    def send(self, message: Message) -> None:
        url = self.url()
        if not url.startswith(("http://", "https://")):
            raise DeliveryError(_("Chưa cấu hình địa chỉ webhook."))
        body = json.dumps(
            {"event": message.event, "report_id": message.report_id, **message.payload}, ensure_ascii=False
        ).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "congdongso-feedback/1",
            "X-Congdongso-Event": f"feedback.{message.event}",
        }
        secret = getattr(settings, "FEEDBACK_WEBHOOK_SECRET", "") or ""
        if secret:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Congdongso-Signature"] = f"sha256={digest}"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (scheme checked)
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(_("Máy nhận trả lời lỗi HTTP %(status)s.") % {"status": exc.code}) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DeliveryError(_("Không kết nối được tới máy nhận: %(reason)s") % {"reason": reason}) from None
        if not 200 <= status < 300:
            raise DeliveryError(_("Máy nhận trả lời lỗi HTTP %(status)s.") % {"status": status})


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_MAX_ERROR = 300


def describe_error(exc: BaseException) -> str:
    """A short reason to show officers: email addresses (an SMTP server may echo them) are masked."""
    text = str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"
    return _EMAIL.sub("***@***", " ".join(text.split()))[:_MAX_ERROR] or type(exc).__name__


def register_default_channels() -> None:
    register_channel(EmailChannel())
    register_channel(WebhookChannel())
