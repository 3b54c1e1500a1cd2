"""Recording help at the door: an assist, its effect on adoption, and follow-ups — one transaction."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.accounts.models import User
from congdongso.audit.writer import record
from congdongso.catalog.models import AdoptionState, Service
from congdongso.catalog.services import adoptions_raise
from congdongso.common.sensitive import refuse_sensitive
from congdongso.common.text import clean_name
from congdongso.households.models import Household, Resident
from congdongso.indicators.periods import month_of
from congdongso.indicators.writer import batch
from congdongso.outreach.metrics import assists_counted, follow_ups_counted, follow_ups_tracked
from congdongso.outreach.models import Assist, AssistActivity, Channel, FollowUp, FollowUpStatus, Outcome
from congdongso.outreach.registry import assist_checks_run, follow_ups_closed

FOLLOW_UP_AFTER_DAYS = 7
MAX_NOTE = 280


def assist_record(
    *, assist_id: uuid.UUID, member: User, household: Household, resident: Resident | None,
    service_codes: list[str], outcome: str, channel: str = Channel.DOOR, occurred_at: dt.datetime,
    independent: bool = False, note: str = "", follow_up_on: dt.date | None = None, campaign_id: int | None = None,
) -> Assist:
    """Record one assist and apply it: adoption goes up for the resident helped (to "uses
    independently" when the member says so), a follow-up is opened when needed, and open
    follow-ups of the household close when the help is done. The caller checks scope."""
    services = _services_for(household, service_codes)
    _check_assist(household, resident, outcome, channel, occurred_at, note)
    assist_checks_run(village=household.village, occurred_at=occurred_at, campaign_id=campaign_id)
    with transaction.atomic(), batch():
        assist = Assist.objects.create(
            id=assist_id, member=member, household=household, resident=resident, village_id=household.village_id,
            services=[s.code for s in services], outcome=outcome, channel=channel, occurred_at=occurred_at,
            month=month_of(occurred_at), independent=independent, note=clean_name(note)[:MAX_NOTE],
            campaign_id=campaign_id,
        )
        assists_counted([assist])
        activity_note(member_id=member.pk, village_ids=[household.village_id])
        state = adoption_raised_to(outcome, independent) if resident is not None else None
        if state is not None:
            adoptions_raise(resident=resident, services=services, state=state, at=occurred_at)
        if outcome == Outcome.NEEDS_FOLLOW_UP or follow_up_on:
            follow_up_open(
                village_id=household.village_id, household=household, created_from=assist,
                reason=follow_up_reason(s.name for s in services), due_on=follow_up_due(occurred_at, follow_up_on),
            )
        elif outcome == Outcome.DONE:
            follow_ups_close(household=household, closed_by=assist)
        record(
            actor_id=member.pk, action="assist.record", object_type="outreach.assist", object_id=assist.pk,
            unit_id=household.village_id, details={"outcome": outcome, "services": assist.services},
        )
    return assist


def adoption_raised_to(outcome: str, independent: bool) -> str | None:
    """The state an assist for a resident raises their adoption of its services to (None: unchanged)."""
    if outcome == Outcome.DONE:
        return AdoptionState.INDEPENDENT if independent else AdoptionState.ASSISTED
    return AdoptionState.ASSISTED if outcome == Outcome.PARTLY else None


def activity_note(*, member_id: int, village_ids: Iterable[int]) -> None:
    """Move the member's last-activity time in these villages to now (see AssistActivity), in the
    caller's transaction: one upsert that never moves a time back."""
    villages = sorted(set(village_ids))
    if not villages:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    newer = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    table = AssistActivity._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (village_id, member_id, last_received_at) VALUES (%s, %s, %s) "
            f"ON CONFLICT (village_id, member_id) DO UPDATE SET "
            f"last_received_at = {newer}({table}.last_received_at, excluded.last_received_at)",
            [(village_id, member_id, now) for village_id in villages],
        )


class AssistConflict(Exception):
    """The assist id is already taken by an assist with different content."""

    def __init__(self, assist: Assist):
        super().__init__(str(assist.pk))
        self.assist = assist


def assist_submit(
    *, assist_id: uuid.UUID, member: User, household: Household, resident: Resident | None,
    service_codes: list[str], outcome: str, channel: str = Channel.DOOR, occurred_at: dt.datetime,
    independent: bool = False, note: str = "", follow_up_on: dt.date | None = None, campaign_id: int | None = None,
) -> tuple[Assist, bool]:
    """Record an assist once, keyed on its client-made id (as ODK Central does with instance ids):
    a replay with the same content answers the stored assist and `False`; the same id with other
    content raises AssistConflict. A double tap or a phone resending its outbox changes nothing."""
    fields = {
        "assist_id": assist_id, "member": member, "household": household, "resident": resident,
        "service_codes": service_codes, "outcome": outcome, "channel": channel, "occurred_at": occurred_at,
        "independent": independent, "note": note, "campaign_id": campaign_id,
    }
    existing = Assist.objects.filter(pk=assist_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                return assist_record(**fields, follow_up_on=follow_up_on), True
        except IntegrityError:
            # Another request stored the same id between our read and our insert.
            existing = Assist.objects.filter(pk=assist_id).first()
            if existing is None:
                raise
    if _same_assist(existing, fields):
        return existing, False
    raise AssistConflict(existing)


def _same_assist(assist: Assist, fields: dict) -> bool:
    resident = fields["resident"]
    return (
        assist.member_id == fields["member"].pk
        and assist.household_id == fields["household"].pk
        and assist.resident_id == (resident.pk if resident is not None else None)
        and sorted(assist.services) == sorted(set(fields["service_codes"]))
        and (assist.outcome, assist.channel) == (fields["outcome"], fields["channel"])
        and assist.occurred_at == fields["occurred_at"]
        and assist.independent == bool(fields["independent"])
        and assist.note == clean_name(fields["note"])[:MAX_NOTE]
        and assist.campaign_id == fields["campaign_id"]
    )


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
    # Members sit beside residents logging in: a password, an OTP or a CCCD number is refused.
    refuse_sensitive(note)


def follow_up_reason(service_names: Iterable[str]) -> str:
    """What the follow-up an assist opens is about: the services it was for."""
    return ", ".join(service_names)[:200] or _("Quay lại hỗ trợ")


def follow_up_due(occurred_at: dt.datetime, follow_up_on: dt.date | None = None) -> dt.date:
    """When the follow-up an assist opens falls due: the day the member chose, or a week after the help."""
    return follow_up_on or timezone.localtime(occurred_at).date() + dt.timedelta(days=FOLLOW_UP_AFTER_DAYS)


def follow_ups_open(follow_ups: list[FollowUp]) -> None:
    """`follow_up_open` for many (built, not yet saved): one insert, counted once."""
    if not follow_ups:
        return
    for follow_up in follow_ups:
        follow_up.reason = clean_name(follow_up.reason)[:200]
    created = FollowUp.objects.bulk_create(follow_ups)
    follow_ups_counted([follow_up.pk for follow_up in created])


def follow_up_open(
    *, village_id: int, household: Household | None, reason: str, due_on: dt.date, created_from: Assist | None = None
) -> FollowUp:
    follow_up = FollowUp.objects.create(
        village_id=village_id, household=household, reason=clean_name(reason)[:200], due_on=due_on,
        created_from=created_from,
    )
    follow_ups_counted([follow_up.pk])
    return follow_up


def follow_up_done(*, follow_up: FollowUp, actor_id: int | None) -> FollowUp:
    """A member or team leader marks one follow-up done (the caller checks scope)."""
    now = timezone.now()
    with transaction.atomic(), follow_ups_tracked([follow_up.pk]):
        # Conditional on still being open: of two people closing it at once, one wins.
        closed = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUpStatus.OPEN).update(
            status=FollowUpStatus.DONE, closed_at=now
        )
        if not closed:
            raise ValidationError(_("Việc này đã được đóng trước đó."))
        follow_up.status, follow_up.closed_at = FollowUpStatus.DONE, now
        follow_ups_closed([follow_up.pk], status=FollowUpStatus.DONE, actor_id=actor_id)
        record(
            actor_id=actor_id, action="follow_up.done", object_type="outreach.followup", object_id=follow_up.pk,
            unit_id=follow_up.village_id,
        )
    return follow_up


def follow_ups_close(*, household: Household, closed_by: Assist) -> int:
    open_ones = FollowUp.objects.filter(household=household, status=FollowUpStatus.OPEN)
    ids = list(open_ones.values_list("pk", flat=True))
    with follow_ups_tracked(ids):
        closed = FollowUp.objects.filter(pk__in=ids, status=FollowUpStatus.OPEN).update(
            status=FollowUpStatus.DONE, closed_by=closed_by, closed_at=timezone.now()
        )
        follow_ups_closed(ids, status=FollowUpStatus.DONE, actor_id=closed_by.member_id)
    return closed


def follow_up_cancel(*, follow_up: FollowUp, actor_id: int | None) -> bool:
    """Cancel an open follow-up (its request was withdrawn or refused); False if already closed."""
    with transaction.atomic(), follow_ups_tracked([follow_up.pk]):
        cancelled = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUpStatus.OPEN).update(
            status=FollowUpStatus.CANCELLED, closed_at=timezone.now()
        )
        if cancelled:
            follow_up.status = FollowUpStatus.CANCELLED
            record(
                actor_id=actor_id, action="follow_up.cancel", object_type="outreach.followup",
                object_id=follow_up.pk, unit_id=follow_up.village_id,
            )
            follow_ups_closed([follow_up.pk], status=FollowUpStatus.CANCELLED, actor_id=actor_id)
    return bool(cancelled)


def follow_up_household_set(*, follow_up: FollowUp, household: Household, actor_id: int | None) -> FollowUp:
    """Tie a follow-up opened without a household (a resident's request) to the household once it is
    known, so the assist recorded there closes it. The household must be in the follow-up's village."""
    if household.village_id != follow_up.village_id:
        raise ValidationError(_("Hộ này không thuộc thôn của việc cần làm."))
    with transaction.atomic():
        FollowUp.objects.filter(pk=follow_up.pk).update(household=household)
        follow_up.household = household
        record(
            actor_id=actor_id, action="follow_up.household", object_type="outreach.followup",
            object_id=follow_up.pk, unit_id=follow_up.village_id,
        )
    return follow_up


def households_listed_record(*, actor_id: int | None, households: list[Household], page: str) -> None:
    """Audit a list about to show households' names (ids only), as the households list does."""
    shown = [str(h.pk) for h in households if h.has_consent]
    if shown:
        record(
            actor_id=actor_id, action="household.list", object_type="households.household", object_id="",
            details={"households": shown, "page": page},
        )


def assist_notes_erase(household_id: uuid.UUID) -> int:
    """Anonymiser registered with households: visit notes may name people."""
    return Assist.objects.filter(household_id=household_id).exclude(note="").update(note="")
