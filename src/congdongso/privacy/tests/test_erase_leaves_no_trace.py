"""Erasure: a resident's name and phone, spread over every place the platform keeps text, are gone
from every text column of every table afterwards; the household is still counted and the tallies
still equal a recount from facts."""

import datetime as dt
import json
import re

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from congdongso.audit.writer import record
from congdongso.common.ids import new_id
from congdongso.common.text import fold
from congdongso.feedback.services import report_note_add
from congdongso.feedback.services import report_submit as feedback_submit
from congdongso.households.metrics import CONSENTED, HOUSEHOLDS, RESIDENTS
from congdongso.households.models import Household
from congdongso.indicators.models import Tally
from congdongso.indicators.periods import STATE
from congdongso.indicators.services import tallies_check
from congdongso.outreach.models import EventType, Outcome, SyncEvent
from congdongso.outreach.services import assist_record, follow_up_open
from congdongso.privacy.models import DataSubjectRequest, Kind, Status
from congdongso.privacy.services import request_acknowledge, request_submit, request_verify
from congdongso.scams import identifiers
from congdongso.scams.models import Channel, Source
from congdongso.scams.services import report_submit as scam_submit

from .conftest import NAME, PHONE

pytestmark = pytest.mark.django_db

NATIONAL = "0983216547"
SPACED = "0983 216 547"
DOTTED = "0983.216.547"
_SEPARATORS = re.compile(r"[\s.\-()]")


def _spread_everywhere(world) -> None:
    """The person appears in every kind of place (the household and residents come from `world`)."""
    household, village, member = world["household"], world["village"], world["member"]
    now = timezone.now()
    assist_record(
        assist_id=new_id(), member=member, household=household, resident=world["head"],
        service_codes=["vneid-level2"], outcome=Outcome.NEEDS_FOLLOW_UP, occurred_at=now - dt.timedelta(hours=2),
        note=f"Chị {NAME} nhờ gọi lại số {SPACED}",
    )
    follow_up_open(
        village_id=village.pk, household=household, reason=f"Hẹn {fold(NAME)} ({DOTTED})",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    report = feedback_submit(
        category="home_visit", unit=village, text=f"Tôi là {NAME.upper()}, nhờ tổ đến nhà cài VNeID giúp.",
        contact_name=NAME, contact_phone=SPACED, contact_consent=True,
    )
    report_note_add(report=report, text=f"Đã gọi {NAME} qua số {NATIONAL}", is_public=False,
                    actor_id=world["officer_a"].pk)
    scam_submit(
        identifier=identifiers.phone("0912 000 111"), source=Source.PUBLIC, channel=Channel.CALL,
        details=f"Kẻ gian gọi cho {NAME} giả danh công an.", contact=f"{NAME} - {DOTTED}", contact_consent=True,
        unit=village,
    )
    # A careless writer once put a name in the audit trail, and the Django admin logs str(object).
    record(actor_id=None, action="household.note", object_type="households.household", object_id=household.pk,
           details={"who": NAME, "phone": PHONE})
    LogEntry.objects.create(
        user=world["officer_a"], content_type=ContentType.objects.get_for_model(Household),
        object_id=str(household.pk), object_repr=NAME, action_flag=CHANGE, change_message=f"Sửa {NAME}",
    )
    SyncEvent.objects.create(
        id=new_id(), type=EventType.HOUSEHOLD_EDIT, digest="d" * 32, member=member, village=village,
        household_id=household.pk, payload={"household_id": str(household.pk), "fields": {"head_name": NAME, "phone": PHONE}},
        occurred_at=now,
    )


def _texts():
    """(table, column, text) for every Char/Text/JSON column of every row of every model."""
    for model in apps.get_models():
        columns = [
            f.attname for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not columns:
            continue
        for row in model._base_manager.values_list(*columns):
            for column, value in zip(columns, row, strict=True):
                if value in (None, "", [], {}):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                yield model._meta.db_table, column, text


def _traces() -> list[str]:
    found = []
    for table, column, text in _texts():
        folded = fold(text)
        digits = _SEPARATORS.sub("", text)
        if NAME in text or NAME.casefold() in text.casefold() or fold(NAME) in folded:
            found.append(f"{table}.{column}: name")
        if PHONE in text or NATIONAL in digits or SPACED in text or "983216547" in digits:
            found.append(f"{table}.{column}: phone")
    return found


def _state(metric: str, village_id: int) -> int:
    return Tally.objects.filter(unit_id=village_id, period=STATE, metric=metric).values_list("value", flat=True).first() or 0


def test_erasure_leaves_no_trace_and_keeps_the_counts(world, client):
    _spread_everywhere(world)
    request = request_submit(kind=Kind.ERASE, commune=world["a"], name=NAME, phone=SPACED,
                             details=f"Tôi là {NAME}, xin xóa thông tin của tôi.")
    before = _traces()
    # The scan can see the person where they were put (it would not prove anything otherwise).
    for place in ("households_household.head_name", "households_resident.display_name", "outreach_assist.note",
                  "outreach_followup.reason", "feedback_report.contact_name", "feedback_reportnote.text",
                  "scams_report.contact", "audit_auditevent.details", "django_admin_log.object_repr",
                  "outreach_syncevent.payload", "privacy_datasubjectrequest.subject_name",
                  "households_consentrecord.given_by", "households_householdfieldversion.value"):
        assert f"{place}: name" in before, place
    village_id = world["village"].pk
    counts_before = {m: _state(m, village_id) for m in (HOUSEHOLDS, RESIDENTS, CONSENTED)}
    assert counts_before[HOUSEHOLDS] == 1 and counts_before[CONSENTED] == 1

    officer = world["officer_a"]
    request_verify(request=request, household=world["household"], actor_id=officer.pk)
    request_acknowledge(request=request, actor_id=officer.pk)
    client.force_login(officer)
    response = client.post(reverse("privacy:step", args=[request.pk, "complete"]),
                           {"outcome": f"Đã xóa dữ liệu của {NAME} ({SPACED})."})
    assert response.status_code == 302

    assert _traces() == []
    request.refresh_from_db()
    assert request.status == Status.COMPLETED and request.subject_erased_at is not None
    # Counts stay where they should: the household and its residents are still counted; only the
    # number of households holding consent (a true fact that changed) went down.
    assert Household.objects.filter(pk=world["household"].pk).exists()
    assert _state(HOUSEHOLDS, village_id) == counts_before[HOUSEHOLDS]
    assert _state(RESIDENTS, village_id) == counts_before[RESIDENTS]
    assert _state(CONSENTED, village_id) == counts_before[CONSENTED] - 1
    check = tallies_check()
    assert check.ok, check.examples
    # The rows that carried the text are kept (redacted), so their counts stay too.
    assert DataSubjectRequest.objects.count() == 1
    from congdongso.feedback.models import Report, ReportNote
    from congdongso.outreach.models import Assist, FollowUp
    from congdongso.scams.models import Report as ScamReport
    assert (Assist.objects.count(), Report.objects.count(), ReportNote.objects.count(), ScamReport.objects.count()) == (1, 1, 1, 1)
    assert FollowUp.objects.filter(reason__contains="[đã xóa]").exists()


def test_someone_else_with_another_phone_keeps_their_data(world, open_request):
    """Erasure reaches the person, not their namesakes: a report sent from another phone stays."""
    from congdongso.feedback.models import Report
    from congdongso.privacy.services import request_complete

    other = feedback_submit(category="suggestion", unit=world["village"], text="Góp ý về sóng điện thoại yếu.",
                            contact_name="Phạm Văn Dũng", contact_phone="0912 345 678", contact_consent=True)
    request = open_request(Kind.ERASE, household=world["household"])
    request_complete(request=request, outcome="", actor_id=world["officer_a"].pk)
    other.refresh_from_db()
    assert other.contact_name == "Phạm Văn Dũng" and other.contact_phone == "+84912345678"
    assert Report.objects.count() == 1
