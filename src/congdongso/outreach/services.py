"""Recording help at the door: an assist, its effect on adoption, and follow-ups — one transaction."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.accounts.models import User
from congdongso.audit.writer import record
from congdongso.catalog.models import AdoptionState, Service
from congdongso.catalog.services import adoptions_raise
from congdongso.common.text import clean_name
from congdongso.households.models import Household, Resident
from congdongso.outreach.models import Assist, Channel, FollowUp, FollowUpStatus, Outcome

FOLLOW_UP_AFTER_DAYS = 7
MAX_NOTE = 280


def assist_record(
    *, assist_id: uuid.UUID, member: User, household: Household, resident: Resident | None,
    service_codes: list[str], outcome: str, channel: str = Channel.DOOR, occurred_at: dt.datetime,
    independent: bool = False, note: str = "", follow_up_on: dt.date | None = None,
) -> Assist:
    """Record one assist and apply it: adoption goes up for the resident helped (to "uses
    independently" when the member says so), a follow-up is opened when needed, and open
    follow-ups of the household close when the help is done. The caller checks scope."""
    services = _services_for(household, service_codes)
    _check_assist(household, resident, outcome, channel, occurred_at, note)
    with transaction.atomic():
        assist = Assist.objects.create(
            id=assist_id, member=member, household=household, resident=resident, village_id=household.village_id,
            services=[s.code for s in services], outcome=outcome, channel=channel, occurred_at=occurred_at,
            note=clean_name(note)[:MAX_NOTE],
        )
        if resident is not None and outcome in (Outcome.DONE, Outcome.PARTLY):
            state = AdoptionState.INDEPENDENT if independent and outcome == Outcome.DONE else AdoptionState.ASSISTED
            adoptions_raise(resident=resident, services=services, state=state, at=occurred_at)
        if outcome == Outcome.NEEDS_FOLLOW_UP or follow_up_on:
            follow_up_open(
                village_id=household.village_id, household=household, created_from=assist,
                reason=", ".join(s.name for s in services)[:200] or _("Quay lại hỗ trợ"),
                due_on=follow_up_on or occurred_at.date() + dt.timedelta(days=FOLLOW_UP_AFTER_DAYS),
            )
        elif outcome == Outcome.DONE:
            follow_ups_close(household=household, closed_by=assist)
        record(
            actor_id=member.pk, action="assist.record", object_type="outreach.assist", object_id=assist.pk,
            unit_id=household.village_id, details={"outcome": outcome, "services": assist.services},
        )
    return assist


def _services_for(household: Household, codes: list[str]) -> list[Service]:
    if not codes:
        raise ValidationError(_("Cần chọn ít nhất một dịch vụ đã hỗ trợ."))
    services = list(Service.objects.filter(code__in=set(codes), is_active=True))
    province_id = household.village.ancestor_ids[0]
    usable = [s for s in services if s.province_id in (None, province_id)]
    if len(usable) != len(set(codes)):
        raise ValidationError(_("Có dịch vụ không có trong danh mục của địa phương."))
    return sorted(usable, key=lambda s: (s.sort_order, s.code))


def _check_assist(
    household: Household, resident: Resident | None, outcome: str, channel: str, occurred_at: dt.datetime, note: str
) -> None:
    if resident is not None and resident.household_id != household.pk:
        raise ValidationError(_("Nhân khẩu không thuộc hộ này."))
    if outcome not in Outcome.values:
        raise ValidationError(_("Kết quả hỗ trợ không hợp lệ."))
    if channel not in Channel.values:
        raise ValidationError(_("Hình thức hỗ trợ không hợp lệ."))
    if occurred_at > timezone.now() + dt.timedelta(minutes=10):
        raise ValidationError(_("Thời điểm hỗ trợ không được ở tương lai."))
    if len(note or "") > MAX_NOTE:
        raise ValidationError(_("Ghi chú tối đa %(max)s ký tự.") % {"max": MAX_NOTE})


def follow_up_open(
    *, village_id: int, household: Household | None, reason: str, due_on: dt.date, created_from: Assist | None = None
) -> FollowUp:
    return FollowUp.objects.create(
        village_id=village_id, household=household, reason=clean_name(reason)[:200], due_on=due_on,
        created_from=created_from,
    )


def follow_ups_close(*, household: Household, closed_by: Assist) -> int:
    return FollowUp.objects.filter(household=household, status=FollowUpStatus.OPEN).update(
        status=FollowUpStatus.DONE, closed_by=closed_by, closed_at=timezone.now()
    )


def assist_notes_erase(household_id: uuid.UUID) -> int:
    """Anonymiser registered with households: visit notes may name people."""
    return Assist.objects.filter(household_id=household_id).exclude(note="").update(note="")
