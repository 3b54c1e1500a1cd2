"""The grouped-SQL proposal equals a plain Python recount over the assist rows, on random mixes of
members, teams (a member on two teams, one who left), shared households, outcomes and bursts."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from congdongso.campaigns.commendations import VERIFIED, assists_in, proposal
from congdongso.campaigns.tests.conftest import days_ago, household
from congdongso.common.ids import new_id
from congdongso.households.models import Household
from congdongso.indicators.periods import month_of
from congdongso.outreach.models import Assist
from congdongso.teams.models import Membership

LIMIT = 4


def _reference(unit, starts_on, ends_on, limit):
    rows = list(assists_in(unit, starts_on, ends_on).values_list(
        "pk", "member_id", "village_id", "village__path", "occurred_at", "outcome", "household_id",
        "household__has_nucleus",
    ))
    by_member = defaultdict(list)
    for row in rows:
        by_member[row[1]].append(row)
    excluded = set()
    for items in by_member.values():  # every window [t, t + 60 min) by brute force
        for first in items:
            inside = [r[0] for r in items if first[4] <= r[4] < first[4] + dt.timedelta(minutes=60)]
            if len(inside) > limit:
                excluded.update(inside)
    counted = [r for r in rows if r[0] not in excluded and r[5] in VERIFIED]
    members = {}
    for member_id in by_member:
        mine = [r for r in counted if r[1] == member_id]
        dropped = sum(1 for r in by_member[member_id] if r[0] in excluded)
        if mine or dropped:
            members[member_id] = (len(mine), len({r[6] for r in mine if r[7]}), dropped)
    teams = {}
    memberships = Membership.objects.filter(team__unit__path__prefix=unit.path, user__isnull=False,
                                            joined_on__lte=ends_on).select_related("team__unit")
    for team_id in {m.team_id for m in memberships}:
        users = {m.user_id for m in memberships if m.team_id == team_id
                 and (m.left_on is None or m.left_on >= starts_on)}
        path = next(m.team.unit.path for m in memberships if m.team_id == team_id)
        mine = [r for r in counted if r[1] in users and r[3].startswith(path)]
        dropped = sum(1 for r in rows if r[0] in excluded and r[1] in users and r[3].startswith(path))
        if mine or dropped:
            teams[team_id] = (len(mine), len({r[6] for r in mine if r[7]}), dropped)
    return members, teams


@pytest.mark.parametrize("seed", range(8))
def test_proposal_equals_a_python_recount(land, make, seed):
    rng = random.Random(seed)
    m = land["members"]
    extra = make.user(unit=land["a2"])
    make.member(land["teams"]["a2"], user=extra)
    commune_team = make.team(land["a"], name="Tổ CNSCĐ Xã An Bình")
    make.member(commune_team, user=m["a1"])
    gone = make.member(commune_team, user=m["a2"])
    Membership.objects.filter(pk=gone.pk).update(left_on=days_ago(30).date())  # before the period
    workers = {"a1": [m["a1"]], "a2": [m["a2"], extra], "b1": [m["b1"]]}
    homes = {key: [household(land[key], head=f"Hộ {key} {n}", residents=[(f"Hộ {key} {n}", 1980, "smartphone")])
                   for n in range(4)] for key in workers}
    nucleus = [h.pk for key in homes for h in homes[key] if rng.random() < 0.5]
    Household.objects.filter(pk__in=nucleus).update(has_nucleus=True)
    rows = []
    for _ in range(rng.randint(20, 60)):
        key = rng.choice(list(workers))
        at = days_ago(rng.randint(1, 2), rng.choice([8, 9, 14])) + dt.timedelta(minutes=rng.randrange(0, 60, 2))
        rows.append(Assist(
            id=new_id(), member=rng.choice(workers[key]), household=rng.choice(homes[key]), village=land[key],
            services=["vneid-level2"], outcome=rng.choice(["done", "done", "partly", "refused", "needs_follow_up"]),
            occurred_at=at, month=month_of(at),
        ))
    key = rng.choice(list(workers))  # and one burst for sure, among the random ones
    start = days_ago(1, 19)
    for n in range(LIMIT + 1):
        at = start + dt.timedelta(minutes=4 * n)
        rows.append(Assist(id=new_id(), member=workers[key][0], household=rng.choice(homes[key]), village=land[key],
                           services=["vneid-level2"], outcome="done", occurred_at=at, month=month_of(at)))
    Assist.objects.bulk_create(rows)
    starts_on, ends_on = days_ago(5).date(), timezone.localdate()
    flagged = 0
    for unit in (land["province"], land["a"]):
        members, teams = _reference(unit, starts_on, ends_on, LIMIT)
        result = proposal(unit, starts_on=starts_on, ends_on=ends_on, limit=LIMIT)
        assert {r.pk: (r.assists, r.households, r.excluded) for r in result.members} == members
        assert {r.pk: (r.assists, r.households, r.excluded) for r in result.teams} == teams
        flagged += sum(r.flagged for r in result.members)
    assert flagged


def test_a_household_helped_by_two_members_counts_once_for_their_team(land, make):
    extra = make.user(unit=land["a1"])
    make.member(land["teams"]["a1"], user=extra)
    home = household(land["a1"])
    Household.objects.filter(pk=home.pk).update(has_nucleus=True)
    for n, member in enumerate((land["members"]["a1"], extra)):
        at = days_ago(1, 9 + n)
        Assist.objects.create(id=new_id(), member=member, household=home, village=land["a1"], services=["vneid-level2"],
                              outcome="done", occurred_at=at, month=month_of(at))
    result = proposal(land["a"], starts_on=days_ago(3).date(), ends_on=timezone.localdate())
    assert [(r.assists, r.households) for r in result.members] == [(1, 1), (1, 1)]
    assert [(r.pk, r.assists, r.households) for r in result.teams] == [(land["teams"]["a1"].pk, 2, 1)]
