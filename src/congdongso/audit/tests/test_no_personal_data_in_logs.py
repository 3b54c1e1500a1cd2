"""No personal data in logs: the main journeys run through the test client while every logger records
at DEBUG; no captured record (message, arguments, exception text, and the line LOG_FORMAT=json would
write) may hold a test resident's name or phone number in any written form.

django.db.backends is captured too, on purpose. It logs every SQL statement with its parameters — so
every name being written — but only while queries are being recorded: settings.DEBUG on, or a
connection forcing its debug cursor. (Run these journeys with `connection.force_debug_cursor = True`
and this test fails on django.db.backends at once.) The suite runs with DEBUG off, as production
must, so here the test shows that production SQL logging stays silent even at DEBUG level. A
developer's DEBUG=True machine does log SQL with parameters, on its own demo data; that is accepted.
"""

import logging
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.accounts.models import Role
from congdongso.common.ids import new_id
from congdongso.common.logs import JsonFormatter
from congdongso.common.text import fold
from congdongso.households.models import CURRENT_NOTICE_VERSION, Household, Resident
from congdongso.feedback.models import Report as FeedbackReport
from congdongso.outreach.models import Assist
from congdongso.scams.models import Report as ScamReport
from congdongso.testing.factories import PASSWORD

HEAD = "Đinh Thị Hồng Nhung"
RESIDENT = "Vi Văn Khoẻ"
HEAD_PHONE = "0912345678"
RESIDENT_PHONE = "0387654321"
FEEDBACK_NAME = "Hà Thị Mỹ Duyên"
FEEDBACK_PHONE = "0977112233"
SCAM_CONTACT_PHONE = "0966445566"
SYNC_HEAD = "Cầm Bá Thước"
SYNC_PHONE = "0355667788"


def _phone_forms(phone: str) -> set[str]:
    """0912345678 as people and programs write it: spaced, dotted, +84, 84, without the 0."""
    rest = phone[1:]
    return {
        phone, f"{phone[:4]} {phone[4:7]} {phone[7:]}", f"{phone[:4]}.{phone[4:7]}.{phone[7:]}",
        f"+84{rest}", f"84{rest}", f"+84 {rest[:2]} {rest[2:5]} {rest[5:]}", rest,
    }


FORBIDDEN = set().union(
    *(_phone_forms(p) for p in (HEAD_PHONE, RESIDENT_PHONE, FEEDBACK_PHONE, SCAM_CONTACT_PHONE, SYNC_PHONE)),
    *({name, fold(name), name.upper()} for name in (HEAD, RESIDENT, FEEDBACK_NAME, SYNC_HEAD)),
)


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.texts: list[tuple[str, str]] = []
        self.formatter = logging.Formatter()
        self.structured = JsonFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        parts = [str(record.msg), repr(record.args)]
        try:
            parts.append(record.getMessage())
        except Exception:  # a broken format string is not this test's business
            pass
        if record.exc_info:
            parts.append(self.formatter.formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(record.stack_info)
        parts.append(self.structured.format(record))  # what LOG_FORMAT=json writes, extras included
        self.texts.append((record.name, "\n".join(parts)))


@pytest.fixture
def captured():
    """Every logger, the existing ones included (django.request, django.db.backends...), at DEBUG."""
    handler = _Capture()
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled


def _journeys(client, make) -> None:
    commune = make.commune()
    village = make.village(commune)
    member = make.user(Role.MEMBER, village)

    # Log in through the form.
    response = client.post(reverse("accounts:login"), {"username": member.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]

    # A household: counts first, then consent, details, a resident.
    response = client.post(reverse("households:create"), {"village": village.pk, "resident_count": "2", "consent": "1"})
    assert response.status_code == 302
    household = Household.objects.get()
    response = client.post(reverse("households:consent", args=[household.pk]), {
        "given_by": HEAD, "method": "spoken", "purposes": ["digital_support", "contact"],
        "notice_version": CURRENT_NOTICE_VERSION, "notice_explained": "on",
    })
    assert response.status_code == 302
    response = client.post(reverse("households:details", args=[household.pk]), {
        "head_name": HEAD, "address_line": "Số 12 bản Mường",
        "phone": f"{HEAD_PHONE[:4]} {HEAD_PHONE[4:7]} {HEAD_PHONE[7:]}",
    })
    assert response.status_code == 302
    response = client.post(reverse("households:resident_add", args=[household.pk]), {
        "display_name": RESIDENT, "birth_year": "1958", "sex": "male", "phone": RESIDENT_PHONE, "device": "smartphone",
    })
    assert response.status_code == 302
    resident = Resident.objects.get()
    # Invalid input too: forms with errors echo what was typed.
    client.post(reverse("households:resident_add", args=[household.pk]), {
        "display_name": RESIDENT, "birth_year": "1700", "sex": "x", "phone": "09" + RESIDENT_PHONE, "device": "?",
    })

    # Pages that show the details, and the worklist.
    for url in (reverse("households:detail", args=[household.pk]), reverse("households:list") + f"?q={fold(HEAD)}",
                reverse("outreach:worklist"), reverse("outreach:visit", args=[household.pk]),
                f"/api/v1/households/{household.pk}", "/api/v1/outreach/worklist"):
        assert client.get(url).status_code == 200, url

    # Help recorded on the visit screen.
    response = client.post(reverse("outreach:visit", args=[household.pk]), {
        "assist_id": str(new_id()), "pick": f"vneid-level2|{resident.pk}", "outcome": "independent", "channel": "door",
    })
    assert response.status_code == 302
    assert Assist.objects.count() == 1

    # Sync: a household made on the phone, an edit with a name and phone, and the feed back.
    sync_household = uuid.UUID(str(new_id()))
    at = timezone.now().isoformat()
    events = [
        {"id": str(new_id()), "type": "household_create", "occurred_at": at,
         "payload": {"household_id": str(sync_household), "village_id": village.pk, "resident_count": 1, "tags": []}},
        {"id": str(new_id()), "type": "household_edit", "occurred_at": at,
         "payload": {"household_id": str(household.pk), "fields": {"head_name": SYNC_HEAD, "phone": SYNC_PHONE}}},
        # Rejected: a household that does not exist.
        {"id": str(new_id()), "type": "household_edit", "occurred_at": at,
         "payload": {"household_id": str(uuid.uuid4()), "fields": {"head_name": SYNC_HEAD, "phone": SYNC_PHONE}}},
    ]
    body = {"device_id": str(uuid.uuid4()), "events": events, "cursor": None, "pending": 0}
    response = client.post("/api/v1/sync", body, content_type="application/json")
    assert response.status_code == 200, response.content[:500]
    assert [r["status"] for r in response.json()["results"]] == ["accepted", "accepted", "rejected"]
    assert Household.objects.get(pk=household.pk).head_name == SYNC_HEAD

    # Not found, with a name in the query string, as a curious user would try; and a sync batch that
    # cannot be read (the API's 4xx are logged by django.request too).
    missing = reverse("households:detail", args=[uuid.uuid4()])
    assert client.get(missing, {"q": HEAD, "phone": HEAD_PHONE}).status_code == 404
    assert client.post("/api/v1/sync", {"device_id": "x", "events": [{"head_name": HEAD}]},
                       content_type="application/json").status_code == 422

    # A resident's feedback with contact details, and a scam report with a contact, as the public does.
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("feedback:submit"), {
        "action": "send", "category": "payment", "unit": village.pk, "text": "Không thanh toán được tiền điện bằng QR.",
        "contact_name": FEEDBACK_NAME, "contact_phone": FEEDBACK_PHONE, "contact_consent": "on",
    })
    assert response.status_code in (200, 302)
    response = client.post("/scams/report/", {
        "kind": "phone", "value": "0912 000 111", "channel": "call", "details": f"Gọi cho {FEEDBACK_NAME}",
        "contact": SCAM_CONTACT_PHONE, "consent": "on",
    })
    assert response.status_code in (200, 302)
    assert FeedbackReport.objects.filter(contact_name=FEEDBACK_NAME).count() == 1
    assert ScamReport.objects.filter(contact=SCAM_CONTACT_PHONE).count() == 1
    # The public forms refusing input: the form comes back with what was typed.
    client.post(reverse("feedback:submit"), {
        "action": "send", "category": "payment", "unit": village.pk, "text": "",
        "contact_name": FEEDBACK_NAME, "contact_phone": "09" + FEEDBACK_PHONE, "contact_consent": "",
    })


@pytest.mark.django_db
def test_the_main_journeys_log_no_names_or_phones(client, make, captured):
    _journeys(client, make)
    # The capture is wired: the not-found and the refused batch were logged by django.request.
    assert sum(name == "django.request" for name, _ in captured.texts) >= 2
    assert not any(name == "django.db.backends" for name, _ in captured.texts)
    leaks = [(name, word) for name, text in captured.texts for word in FORBIDDEN if word in text]
    assert leaks == [], f"personal data in logs: {sorted(set(leaks))[:10]}"


@pytest.mark.django_db
def test_the_capture_would_see_a_leak(client, make, captured):
    """The check itself: a record carrying a name in its arguments is found."""
    logging.getLogger("congdongso.test").debug("saved %s", HEAD)
    assert any(HEAD in text for _, text in captured.texts)
