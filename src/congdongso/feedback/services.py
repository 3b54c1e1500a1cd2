"""Every write to feedback reports. Each is atomic, leaves a history row and an audit event (ids and
codes only), and queues its notifications as delivery rows in the same transaction; the background
task that sends them starts after commit, so a failing channel never blocks or loses a report."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils import translation
from django.utils.translation import gettext as _

from congdongso.accounts.models import User
from congdongso.audit.writer import record
from congdongso.common.phones import normalise_phone
from congdongso.common.sensitive import refuse_sensitive
from congdongso.common.text import clean_name
from congdongso.feedback import notifications
from congdongso.feedback.codes import new_code
from congdongso.feedback.metrics import reports_counted, reports_tracked
from congdongso.feedback.models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Category,
    Change,
    Delivery,
    DeliveryStatus,
    Report,
    ReportHistory,
    ReportNote,
    Status,
)
from congdongso.feedback.sla import due_on
from congdongso.geo.models import Level, Unit
from congdongso.households.models import Household
from congdongso.outreach.models import FollowUp, FollowUpStatus
from congdongso.outreach.services import follow_up_cancel, follow_up_done, follow_up_household_set, follow_up_open
from congdongso.teams.models import Membership, Team

logger = logging.getLogger(__name__)

TEXT_MIN = 10
TEXT_MAX = 2000
NAME_MAX = 100
NOTE_MAX = 1000
REASON_MAX = 500
CONTACT_NOTICE_VERSION = "2026-01"
CODE_ATTEMPTS = 5

# Where a report may go next. Assignees may only move their report along (in progress, resolved);
# the commune's officers decide everything else (reject, close, reopen).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED),
    Status.ASSIGNED: (Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED),
    Status.IN_PROGRESS: (Status.RESOLVED, Status.REJECTED),
    Status.RESOLVED: (Status.CLOSED, Status.IN_PROGRESS),
    Status.CLOSED: (),
    Status.REJECTED: (),
}
ASSIGNEE_STATUSES = (Status.IN_PROGRESS, Status.RESOLVED)

DELIVERY_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600


def _audit(report: Report, action: str, actor_id: int | None, **details) -> None:
    record(
        actor_id=actor_id, action=f"feedback.{action}", object_type="feedback.report", object_id=report.pk,
        unit_id=report.commune_id, details=details,
    )


def _history(report: Report, change: str, actor_id: int | None, *, from_status: str = "", to_status: str = "", **details):
    ReportHistory.objects.create(
        report=report, change=change, actor_id=actor_id, from_status=from_status, to_status=to_status, details=details
    )


# --- submission -----------------------------------------------------------------------------------


def clean_text(value: str, *, field_max: int) -> str:
    """NFC, no trailing spaces, at most two blank lines in a row; newlines kept."""
    lines = [clean_name(line) for line in (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text[: field_max + 1]


def check_place(unit: Unit, category: str) -> Unit:
    """The commune a place routes to; refuses places that cannot take a report."""
    if not unit.is_current or unit.level not in (Level.COMMUNE, Level.VILLAGE):
        raise ValidationError(_("Hãy chọn một xã/phường hoặc thôn/tổ dân phố đang hoạt động."))
    if category == Category.HOME_VISIT and unit.level != Level.VILLAGE:
        raise ValidationError(_("Đề nghị hỗ trợ tại nhà cần chọn thôn/tổ dân phố nơi bạn ở, để tổ ở đó đến giúp."))
    return unit if unit.level == Level.COMMUNE else unit.parent


def check_contact(*, name: str, phone: str, consent: bool) -> tuple[str, str]:
    """(name, E.164 phone) to store, or ("", "") without contact. Contact needs explicit consent."""
    name = clean_name(name)
    phone_raw = (phone or "").strip()
    if not consent:
        if name or phone_raw:
            raise ValidationError(
                _("Muốn được liên hệ lại, hãy đánh dấu ô đồng ý; nếu không, hãy xóa tên và số điện thoại.")
            )
        return "", ""
    if not phone_raw:
        raise ValidationError(_("Bạn đã đồng ý được liên hệ: hãy nhập số điện thoại."))
    normal = normalise_phone(phone_raw)
    if normal is None:
        raise ValidationError(_("Số điện thoại không hợp lệ (ví dụ 0912 345 678)."))
    if len(name) > NAME_MAX:
        raise ValidationError(_("Tên tối đa %(max)s ký tự.") % {"max": NAME_MAX})
    refuse_sensitive(name)
    return name, normal


def check_report_text(text: str) -> str:
    text = clean_text(text, field_max=TEXT_MAX)
    if len(text) < TEXT_MIN:
        raise ValidationError(_("Hãy viết rõ hơn (ít nhất %(min)s ký tự).") % {"min": TEXT_MIN})
    if len(text) > TEXT_MAX:
        raise ValidationError(_("Nội dung tối đa %(max)s ký tự.") % {"max": TEXT_MAX})
    refuse_sensitive(text)
    return text


def report_submit(
    *, category: str, unit: Unit, text: str, contact_name: str = "", contact_phone: str = "",
    contact_consent: bool = False,
) -> Report:
    """A resident's report (no login): routed to the commune of the place, due by the category's SLA."""
    if category not in Category.values:
        raise ValidationError(_("Loại phản ánh không hợp lệ."))
    commune = check_place(unit, category)
    body = check_report_text(text)
    name, phone = check_contact(name=contact_name, phone=contact_phone, consent=contact_consent)
    now = timezone.now()
    with transaction.atomic():
        report = _create_with_fresh_code(
            category=category, unit=unit, commune=commune, text=body, contact_name=name, contact_phone=phone,
            contact_consent_at=now if contact_consent else None,
            contact_notice_version=CONTACT_NOTICE_VERSION if contact_consent else "",
            due_on=due_on(category, timezone.localdate(now)),
        )
        _history(report, Change.CREATED, None, to_status=Status.NEW)
        reports_counted([report.pk])
        _audit(report, "submit", None, category=category, contact=bool(phone))
        _notify(report, notifications.CREATED)
    return report


def _create_with_fresh_code(**fields) -> Report:
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Report.objects.create(code=new_code(), **fields)
        except IntegrityError:
            # 31^8 codes: a collision is rare, and a fresh draw settles it.
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


# --- routing --------------------------------------------------------------------------------------


def _check_open(report: Report) -> None:
    if not report.is_open:
        raise ValidationError(_("Phản ánh đã được giải quyết hoặc đã đóng, không phân công được nữa."))


def report_assign(
    *, report: Report, team: Team | None = None, user: User | None = None, household: Household | None = None,
    actor_id: int | None,
) -> Report:
    """Give a report to a team or one of its members (within the report's commune). A home-visit
    request becomes a follow-up on the village team's worklist at its first assignment."""
    _check_open(report)
    if team is None and user is None:
        raise ValidationError(_("Hãy chọn tổ hoặc thành viên được giao."))
    commune = report.commune
    if team is not None and not (team.is_active and team.unit.path.startswith(commune.path)):
        raise ValidationError(_("Tổ này không thuộc xã/phường tiếp nhận phản ánh."))
    if user is not None:
        memberships = Membership.objects.filter(
            user=user, left_on__isnull=True, team__is_active=True, team__unit__path__prefix=commune.path
        )
        if team is not None:
            memberships = memberships.filter(team=team)
        if not memberships.exists():
            raise ValidationError(_("Người này không phải thành viên tổ CNSCĐ của xã/phường tiếp nhận."))
    with transaction.atomic():
        before = report.status
        report.assigned_team, report.assigned_user = team, user
        if report.status == Status.NEW:
            report.status = Status.ASSIGNED
        report.save(update_fields=["assigned_team", "assigned_user", "status", "updated_at"])
        _history(
            report, Change.ASSIGNED, actor_id, from_status=before, to_status=report.status,
            team=team.pk if team else None, user=user.pk if user else None,
        )
        _audit(report, "assign", actor_id, team=team.pk if team else None, user=user.pk if user else None)
        if household is not None:
            _household_link(report, household, actor_id)
        if report.category == Category.HOME_VISIT and report.follow_up_id is None:
            with translation.override("vi"):  # stored text: in the members' language, whatever the page's
                reason = _("Đề nghị hỗ trợ tại nhà (phản ánh %(code)s)") % {"code": report.code}
            follow_up = follow_up_open(
                village_id=report.unit_id, household=report.household, reason=reason, due_on=report.due_on,
            )
            report.follow_up = follow_up
            report.save(update_fields=["follow_up", "updated_at"])
            _audit(report, "follow_up", actor_id, follow_up=follow_up.pk)
        _notify(report, notifications.ASSIGNED)
    return report


def report_household_set(*, report: Report, household: Household, actor_id: int | None) -> Report:
    """Tie the report to a known household; its home-visit follow-up then closes with the assist
    recorded there."""
    with transaction.atomic():
        _household_link(report, household, actor_id)
    return report


def _household_link(report: Report, household: Household, actor_id: int | None) -> None:
    place = report.unit
    if not household.village.path.startswith(place.path):
        raise ValidationError(_("Hộ này không ở địa bàn của phản ánh."))
    report.household = household
    report.save(update_fields=["household", "updated_at"])
    follow_up = FollowUp.objects.filter(pk=report.follow_up_id, status=FollowUpStatus.OPEN).first()
    if follow_up is not None and follow_up.household_id != household.pk:
        follow_up_household_set(follow_up=follow_up, household=household, actor_id=actor_id)
    _history(report, Change.HOUSEHOLD, actor_id, household=str(household.pk))
    _audit(report, "household", actor_id, household=str(household.pk))


def allowed_statuses(report: Report, *, manager: bool) -> list[str]:
    allowed = TRANSITIONS[report.status]
    return [s for s in allowed if manager or s in ASSIGNEE_STATUSES]


def report_status_set(
    *, report: Report, status: str, reason: str = "", actor_id: int | None, manager: bool = True
) -> Report:
    if status not in allowed_statuses(report, manager=manager):
        raise ValidationError(
            _("Không thể chuyển phản ánh từ “%(from)s” sang “%(to)s”.")
            % {"from": Status(report.status).label, "to": Status(status).label if status in Status.values else status}
        )
    reason = clean_text(reason, field_max=REASON_MAX)
    if status == Status.REJECTED:
        if not reason:
            raise ValidationError(_("Cần ghi lý do từ chối (người gửi sẽ thấy lý do này)."))
        if len(reason) > REASON_MAX:
            raise ValidationError(_("Lý do tối đa %(max)s ký tự.") % {"max": REASON_MAX})
        refuse_sensitive(reason)
    with transaction.atomic():
        _transition(report, status, actor_id, reason=reason)
    return report


def _transition(report: Report, status: str, actor_id: int | None, *, reason: str = "", via_follow_up: bool = False):
    before = report.status
    with reports_tracked([report.pk]):
        _status_store(report, status, reason)
    _history(report, Change.STATUS, actor_id, from_status=before, to_status=status)
    _audit(report, "status", actor_id, from_status=before, to_status=status)
    if not via_follow_up:
        _settle_follow_up(report, status, actor_id)
    if status in FINAL_STATUSES:
        _contact_erase(report, actor_id)
    _notify(report, notifications.STATUS)


def _status_store(report: Report, status: str, reason: str) -> None:
    now = timezone.now()
    report.status = status
    fields = ["status", "updated_at"]
    if status == Status.RESOLVED:
        report.resolved_at = now
        fields.append("resolved_at")
    if status in FINAL_STATUSES:
        report.closed_at = now
        fields.append("closed_at")
    if status == Status.REJECTED:
        report.rejection_reason = reason
        fields.append("rejection_reason")
    report.save(update_fields=fields)


def _settle_follow_up(report: Report, status: str, actor_id: int | None) -> None:
    """A report settled by hand takes its home-visit follow-up off the worklist."""
    follow_up = FollowUp.objects.filter(pk=report.follow_up_id, status=FollowUpStatus.OPEN).first()
    if follow_up is None:
        return
    if status == Status.RESOLVED:
        follow_up_done(follow_up=follow_up, actor_id=actor_id)
    elif status in FINAL_STATUSES:
        follow_up_cancel(follow_up=follow_up, actor_id=actor_id)


def follow_ups_closed(ids: list[int], status: str, actor_id: int | None) -> None:
    """Hook registered with outreach: an assist (or a member) closed follow-ups; the home-visit
    requests behind them are resolved, in the same transaction."""
    if status != FollowUpStatus.DONE:
        return
    reports = Report.objects.select_for_update().filter(follow_up_id__in=ids, status__in=OPEN_STATUSES)
    for report in reports:
        # In a savepoint: a failure here must never stop a member recording a visit; the report then
        # stays open (and is logged) for the officer to settle by hand.
        try:
            with transaction.atomic():
                _transition(report, Status.RESOLVED, actor_id, via_follow_up=True)
                with translation.override("vi"):
                    text = _("Tổ công nghệ số cộng đồng đã đến hỗ trợ tại nhà.")
                note = ReportNote.objects.create(report=report, is_public=True, author_id=actor_id, text=text)
                _history(report, Change.PUBLIC_UPDATE, actor_id, note=note.pk)
        except Exception:
            logger.exception("feedback report %s could not be resolved from its follow-up", report.pk)


def report_note_add(*, report: Report, text: str, is_public: bool, actor_id: int | None) -> ReportNote:
    """A public update (the sender sees it on the status page) or an internal note."""
    body = clean_text(text, field_max=NOTE_MAX)
    if not body:
        raise ValidationError(_("Cần nhập nội dung."))
    if len(body) > NOTE_MAX:
        raise ValidationError(_("Nội dung tối đa %(max)s ký tự.") % {"max": NOTE_MAX})
    refuse_sensitive(body)
    if report.status in FINAL_STATUSES and is_public:
        raise ValidationError(_("Phản ánh đã đóng, không thêm cập nhật công khai được nữa."))
    with transaction.atomic():
        note = ReportNote.objects.create(report=report, is_public=is_public, text=body, author_id=actor_id)
        change = Change.PUBLIC_UPDATE if is_public else Change.INTERNAL_NOTE
        _history(report, change, actor_id, note=note.pk)
        _audit(report, "note", actor_id, note=note.pk, public=is_public)
        Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    return note


# --- contact details: erased when the case closes, or after the retention period -----------------


def _contact_erase(report: Report, actor_id: int | None) -> bool:
    if not report.has_contact and report.contact_consent_at is None:
        return False
    report.contact_name = report.contact_phone = ""
    report.contact_consent_at = None
    report.contact_erased_at = timezone.now()
    report.save(update_fields=["contact_name", "contact_phone", "contact_consent_at", "contact_erased_at", "updated_at"])
    _history(report, Change.CONTACT_ERASED, actor_id)
    _audit(report, "contact_erase", actor_id)
    return True


@dataclass(frozen=True)
class PurgeCounts:
    closed: int
    resolved_long_ago: int
    kept_too_long: int

    @property
    def total(self) -> int:
        return self.closed + self.resolved_long_ago + self.kept_too_long


def _holding_contact() -> Q:
    return ~Q(contact_name="") | ~Q(contact_phone="") | Q(contact_consent_at__isnull=False)


def contacts_due_for_erasure(*, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Report ids whose contact details must go, by reason (each report under its first reason)."""
    now = now or timezone.now()
    holding = Report.objects.filter(_holding_contact())
    closed = set(holding.filter(status__in=FINAL_STATUSES).values_list("pk", flat=True))
    retention = dt.timedelta(days=settings.FEEDBACK_CONTACT_RETENTION_DAYS)
    resolved = set(
        holding.filter(status=Status.RESOLVED, resolved_at__lt=now - retention).values_list("pk", flat=True)
    ) - closed
    longest = dt.timedelta(days=settings.FEEDBACK_CONTACT_MAX_DAYS)
    too_long = set(holding.filter(created_at__lt=now - longest).values_list("pk", flat=True)) - closed - resolved
    return {"closed": sorted(closed), "resolved_long_ago": sorted(resolved), "kept_too_long": sorted(too_long)}


def reports_contacts_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> PurgeCounts:
    due = contacts_due_for_erasure(now=now)
    counts = PurgeCounts(*(len(due[key]) for key in ("closed", "resolved_long_ago", "kept_too_long")))
    if dry_run:
        return counts
    for key in ("closed", "resolved_long_ago", "kept_too_long"):
        for report_id in due[key]:
            with transaction.atomic():
                report = Report.objects.select_for_update().get(pk=report_id)
                _contact_erase(report, None)
    return counts


def household_contacts_erase(household_id) -> int:
    """Anonymiser registered with households: when a household withdraws consent, the contact details
    of the reports tied to it go too."""
    erased = 0
    for report in Report.objects.filter(household_id=household_id).filter(_holding_contact()):
        erased += _contact_erase(report, None)
    return erased


def reports_contact_erase(*, report_ids: list[int], actor_id: int | None) -> int:
    """Erase the contact details of these reports now (the sender's erasure request)."""
    erased = 0
    with transaction.atomic():
        for report in Report.objects.select_for_update().filter(pk__in=report_ids).filter(_holding_contact()):
            erased += _contact_erase(report, actor_id)
    return erased


# --- notifications --------------------------------------------------------------------------------


def _payload(report: Report, event: str) -> dict:
    with translation.override("vi"):  # notifications go to Vietnamese officials, whatever the page's language
        return _payload_vi(report)


def _payload_vi(report: Report) -> dict:
    place = report.unit.name if report.unit_id == report.commune_id else f"{report.unit.name}, {report.commune.name}"
    base = getattr(settings, "SITE_URL", "") or ""
    return {
        "code": report.code,
        "category_code": report.category,
        "category": str(Category(report.category).label),
        "status_code": report.status,
        "status": str(Status(report.status).label),
        "place": place,
        "unit_id": report.unit_id,
        "commune_id": report.commune_id,
        "commune_code": report.commune.code,
        "due_on": date_format(report.due_on, "SHORT_DATE_FORMAT"),
        "due_on_iso": report.due_on.isoformat(),
        "assigned_team_id": report.assigned_team_id,
        "assigned_user_id": report.assigned_user_id,
        "url": base + reverse("feedback:report", args=[report.pk]) if base else "",
    }


def _notify(report: Report, event: str) -> list[int]:
    """Write a delivery row for every channel with someone to tell; send them after commit."""
    message = notifications.Message(event=event, report_id=report.pk, payload=_payload(report, event))
    ids = []
    for channel in notifications.channels():
        try:
            wanted = channel.wants(message)
        except Exception:  # a broken channel must not stop the report
            logger.exception("feedback channel %s failed to decide", channel.name)
            continue
        if wanted:
            delivery = Delivery.objects.create(
                report=report, channel=channel.name, event=event, payload=message.payload,
                attempt_limit=DELIVERY_ATTEMPTS,
            )
            ids.append(delivery.pk)
    if ids:
        transaction.on_commit(lambda: [_schedule(pk) for pk in ids])
    return ids


def _schedule(delivery_id: int, run_after: dt.datetime | None = None) -> None:
    from congdongso.feedback.tasks import deliver

    try:
        task = deliver
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id)
    except Exception:
        # The row stays pending: `retry_feedback_deliveries` picks it up.
        logger.exception("could not queue feedback delivery %s", delivery_id)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most an hour."""
    return dt.timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def delivery_attempt(*, delivery_id: int) -> str:
    """Try to send one pending delivery once. Answers the delivery's status afterwards."""
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return "skipped"
    # Claim the attempt: of two workers holding the same delivery, one goes on.
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=None)
    if not claimed:
        return "skipped"
    attempts = delivery.attempts + 1
    channel = notifications.get_channel(delivery.channel)
    error = ""
    try:
        if channel is None:
            raise notifications.DeliveryError(_("Kênh %(name)s không còn được cấu hình.") % {"name": delivery.channel})
        channel.send(notifications.Message(event=delivery.event, report_id=delivery.report_id, payload=delivery.payload))
    except Exception as exc:  # every failure of a channel is one failed attempt
        error = notifications.describe_error(exc)
        logger.warning("feedback delivery %s via %s failed (attempt %s)", delivery.pk, delivery.channel, attempts)
    now = timezone.now()
    if not error:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=now, last_error="")
        return DeliveryStatus.SENT
    if attempts >= delivery.attempt_limit:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, last_error=error)
        return DeliveryStatus.FAILED
    next_at = now + retry_delay(attempts)
    Delivery.objects.filter(pk=delivery.pk).update(last_error=error, next_attempt_at=next_at)
    _schedule(delivery.pk, run_after=next_at)
    return DeliveryStatus.PENDING


def delivery_retry(*, delivery: Delivery, actor_id: int | None) -> Delivery:
    """An officer asks for a failed delivery to be tried again (another round of attempts)."""
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError(_("Chỉ gửi lại được thông báo đã gửi không được."))
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, attempt_limit=delivery.attempts + DELIVERY_ATTEMPTS, next_attempt_at=None
        )
        record(
            actor_id=actor_id, action="feedback.delivery_retry", object_type="feedback.delivery",
            object_id=delivery.pk, unit_id=delivery.report.commune_id, details={"channel": delivery.channel},
        )
        transaction.on_commit(lambda: _schedule(delivery.pk))
    delivery.refresh_from_db()
    return delivery


def deliveries_requeue(*, now: dt.datetime | None = None, stale_after: dt.timedelta = dt.timedelta(minutes=15)) -> int:
    """Queue again pending deliveries whose time has come but whose task was lost (a worker stopped
    mid-attempt, or queueing failed). Run by `retry_feedback_deliveries`."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__lte=now - stale_after) | Q(next_attempt_at__isnull=True, created_at__lte=now - stale_after)
    )
    ids = list(due.values_list("pk", flat=True))
    for pk in ids:
        _schedule(pk)
    return len(ids)
