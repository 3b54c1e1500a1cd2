"""Tallies kept by the services equal a rebuild from facts, after any mix of writes, edits,
withdrawals, follow-ups, team changes, feedback, scam reports, merges and splits."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdongso.campaigns.models import Campaign
from congdongso.catalog.models import AdoptionState, Service
from congdongso.catalog.services import adoption_set
from congdongso.common.ids import new_id
from congdongso.feedback.models import Category, Status
from congdongso.feedback.services import report_status_set, report_submit
from congdongso.geo.models import Kind, Level, Unit
from congdongso.geo.services import SplitPart, unit_split, units_merge, village_create
from congdongso.households.models import ConsentMethod, ConsentPurpose, Household, Resident, Tag
from congdongso.households.services import (
    consent_record,
    consent_withdraw,
    household_count_set,
    household_create,
    resident_add,
)
from congdongso.indicators.models import Tally
from congdongso.indicators.services import tallies_check, tallies_rebuild
from congdongso.outreach.models import FollowUp, FollowUpStatus, Outcome
from congdongso.outreach.services import assist_record, follow_up_cancel, follow_up_done
from congdongso.scams import identifiers
from congdongso.scams.models import Channel, Source
from congdongso.scams.services import report_submit as scam_report_submit
from congdongso.teams.models import Membership, Team
from congdongso.teams.services import membership_end, team_create, team_update

OPERATIONS = [
    "household", "household", "consent", "resident", "resident", "assist", "assist", "assist", "adoption",
    "withdraw", "count", "follow_up_done", "follow_up_cancel", "team", "team_toggle", "member", "member_end",
    "village", "feedback", "feedback_close", "scam_report", "merge_villages", "merge_communes", "split_commune",
    "sync",
]
SERVICE_CODES = ["vneid-level2", "cashless-account", "online-shopping", "scam-awareness", "telehealth", "merchant-qr"]
Rollback = type("Rollback", (Exception,), {})


def _pick(items: list, n: int):
    return items[n % len(items)] if items else None


class World:
    def __init__(self, province: Unit, member, campaign: Campaign):
        self.province, self.member, self.campaign = province, member, campaign
        self.serial = 0

    def villages(self) -> list[Unit]:
        return list(Unit.objects.current().filter(level=Level.VILLAGE, path__prefix=self.province.path).order_by("pk"))

    def communes(self) -> list[Unit]:
        return list(Unit.objects.current().filter(level=Level.COMMUNE, path__prefix=self.province.path).order_by("pk"))

    def households(self) -> list[Household]:
        return list(Household.objects.filter(village__path__prefix=self.province.path).order_by("pk"))

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def apply(self, op: str, n: int) -> None:
        getattr(self, f"op_{op}")(n)

    def op_household(self, n: int) -> None:
        household_create(village=_pick(self.villages(), n), tags=[Tag.BUSINESS] if n % 2 else [],
                         resident_count=n % 4, actor_id=None)

    def op_consent(self, n: int) -> None:
        household = _pick([h for h in self.households() if not h.has_consent], n)
        if household:
            consent_record(household=household, given_by="Chị Lan", method=ConsentMethod.SPOKEN,
                           purposes=[ConsentPurpose.DIGITAL_SUPPORT], actor_id=None)

    def op_resident(self, n: int) -> None:
        household = _pick(self.households(), n)
        if household:
            resident_add(household=household, actor_id=None)

    def op_assist(self, n: int) -> None:
        household = _pick(self.households(), n)
        if not household:
            return
        resident = _pick(list(household.residents.order_by("pk")), n)
        codes = [code for i, code in enumerate(SERVICE_CODES) if (n >> i) & 1] or [SERVICE_CODES[n % 6]]
        occurred = timezone.now() - dt.timedelta(days=(n * 7) % 90, minutes=n % 50)
        assist_record(
            assist_id=new_id(), member=self.member, household=household, resident=resident, service_codes=codes,
            outcome=_pick(Outcome.values, n // 3), occurred_at=occurred, independent=bool(n % 2),
            campaign_id=self.campaign.pk if n % 3 == 0 else None,
        )

    def op_sync(self, n: int) -> None:
        """A phone's batch: plain assists (the sync's hot path), assists the services apply, a field
        edit and a new household, all in one transaction."""
        import json

        from congdongso.outreach.sync import parse_request, sync_apply

        households = self.households()[n % 3 :][:3]
        at = (timezone.now() - dt.timedelta(days=n % 40, minutes=n % 50)).isoformat()
        events = []
        for k, household in enumerate(households):
            resident = _pick(list(household.residents.order_by("pk")), n + k)
            for outcome in ("refused", "done", "partly", "needs_follow_up"):
                events.append({"id": str(new_id()), "type": "assist", "occurred_at": at, "payload": {
                    "household_id": str(household.pk), "services": [_pick(SERVICE_CODES, n + k)], "outcome": outcome,
                    "resident_id": str(resident.pk) if resident and (n + k) % 2 else None,
                    "independent": bool(n % 2)}})
            events.append({"id": str(new_id()), "type": "household_edit", "occurred_at": at, "payload": {
                "household_id": str(household.pk), "fields": {"is_business": bool(n % 2), "resident_count": n % 7}}})
        events.append({"id": str(new_id()), "type": "household_create", "occurred_at": at, "payload": {
            "household_id": str(new_id()), "village_id": _pick(self.villages(), n).pk, "tags": ["business"],
            "resident_count": n % 5}})
        body = json.dumps({"device_id": str(new_id()), "events": events}).encode()
        sync_apply(member=self.member, device=None, events=parse_request(body).events)

    def op_adoption(self, n: int) -> None:
        resident = _pick(list(Resident.objects.filter(household__village__path__prefix=self.province.path)
                              .order_by("pk")), n)
        if resident:
            adoption_set(resident=resident, service=Service.objects.get(code=_pick(SERVICE_CODES, n)),
                         state=_pick(AdoptionState.values, n // 6), actor_id=None)

    def op_withdraw(self, n: int) -> None:
        household = _pick([h for h in self.households() if h.has_consent], n)
        if household:
            consent_withdraw(household=household, actor_id=None)

    def op_count(self, n: int) -> None:
        household = _pick(self.households(), n)
        if household:
            household_count_set(household=household, resident_count=n % 9, actor_id=None)

    def _open_follow_ups(self) -> list[FollowUp]:
        return list(FollowUp.objects.filter(status=FollowUpStatus.OPEN).order_by("pk"))

    def op_follow_up_done(self, n: int) -> None:
        follow_up = _pick(self._open_follow_ups(), n)
        if follow_up:
            follow_up_done(follow_up=follow_up, actor_id=None)

    def op_follow_up_cancel(self, n: int) -> None:
        follow_up = _pick(self._open_follow_ups(), n)
        if follow_up:
            follow_up_cancel(follow_up=follow_up, actor_id=None)

    def op_team(self, n: int) -> None:
        unit = _pick(self.villages() + self.communes(), n)
        team_create(unit=unit, name=f"Tổ {self.next()}", actor_id=None)

    def op_team_toggle(self, n: int) -> None:
        team = _pick(list(Team.objects.filter(unit__path__prefix=self.province.path).order_by("pk")), n)
        if team:
            team_update(team=team, is_active=not team.is_active, actor_id=None)

    def op_member(self, n: int) -> None:
        from congdongso.testing import factories

        team = _pick(list(Team.objects.filter(unit__path__prefix=self.province.path).order_by("pk")), n)
        if team:
            factories.member(team)

    def op_member_end(self, n: int) -> None:
        membership = _pick(list(Membership.objects.filter(left_on__isnull=True).order_by("pk")), n)
        if membership:
            membership_end(membership=membership, left_on=dt.date(2026, 6, 1), actor_id=None)

    def op_village(self, n: int) -> None:
        village_create(commune=_pick(self.communes(), n), name=f"Thôn Mới {self.next()}", kind=Kind.THON,
                       actor_id=None)

    def op_feedback(self, n: int) -> None:
        report_submit(category=Category.SUGGESTION, unit=_pick(self.villages(), n), text="Cần thêm điểm phát wifi.")

    def op_feedback_close(self, n: int) -> None:
        from congdongso.feedback.models import Report

        report = _pick(list(Report.objects.filter(status=Status.NEW).order_by("pk")), n)
        if report:
            report_status_set(report=report, status=Status.REJECTED, reason="Trùng phản ánh", actor_id=None)

    def op_scam_report(self, n: int) -> None:
        scam_report_submit(
            identifier=identifiers.phone(f"09123{n % 100000:05d}"), source=Source.PUBLIC, channel=Channel.CALL,
            unit=_pick(self.villages() + self.communes(), n),
        )

    def op_merge_villages(self, n: int) -> None:
        commune = _pick(self.communes(), n)
        villages = list(Unit.objects.current().filter(parent=commune, level=Level.VILLAGE).order_by("pk"))
        if len(villages) >= 2:
            units_merge(sources=[villages[0]], target=villages[1], effective_date=dt.date(2026, 7, 1), actor_id=None)

    def op_merge_communes(self, n: int) -> None:
        communes = self.communes()
        if len(communes) >= 2:
            source = _pick(communes, n)
            target = _pick([c for c in communes if c.pk != source.pk], n)
            units_merge(sources=[source], target=target, effective_date=dt.date(2026, 7, 1), actor_id=None)

    def op_split_commune(self, n: int) -> None:
        commune = _pick(self.communes(), n)
        villages = list(Unit.objects.current().filter(parent=commune, level=Level.VILLAGE).order_by("pk"))
        serial = self.next()
        unit_split(
            source=commune,
            parts=[
                SplitPart(name=f"Xã Tách A {serial}", kind=Kind.COMMUNE, code=f"TA{serial}",
                          children=tuple(v.pk for v in villages[: len(villages) // 2])),
                SplitPart(name=f"Xã Tách B {serial}", kind=Kind.COMMUNE, code=f"TB{serial}"),
            ],
            remainder_index=1, effective_date=dt.date(2026, 8, 1), actor_id=None,
        )


@pytest.fixture
def world(db, make):
    from congdongso.accounts.models import Role

    province = make.province()
    for _ in range(2):
        commune = make.commune(province)
        make.village(commune)
        make.village(commune)
    member = make.user(Role.MEMBER, province)
    today = timezone.localdate()
    # Running over the whole span of the generated assists (the last 90 days).
    campaign = Campaign.objects.create(name="Ra quân", unit=province, starts_on=today - dt.timedelta(days=100),
                                       ends_on=today + dt.timedelta(days=30))
    return World(province, member, campaign)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 10_000)), min_size=1, max_size=30))
def test_incremental_tallies_equal_a_rebuild(world, operations):
    try:
        with transaction.atomic():
            for op, n in operations:
                try:
                    with transaction.atomic():
                        world.apply(op, n)
                except ValidationError:
                    pass  # refused operations change nothing, tallies included
            check = tallies_check()
            assert check.ok, check.examples
            raise Rollback
    except Rollback:
        pass


def test_rebuild_writes_what_the_check_expects(world):
    for n, op in enumerate(["household", "resident", "assist", "team", "feedback", "merge_communes", "assist"]):
        world.apply(op, n + 3)
    before = sorted(Tally.objects.values_list("unit_id", "period", "metric", "value"))
    assert before, "the services wrote no tallies"
    Tally.objects.all().delete()
    assert tallies_check().differing == len(before)
    assert tallies_rebuild() == len(before)
    assert sorted(Tally.objects.values_list("unit_id", "period", "metric", "value")) == before
