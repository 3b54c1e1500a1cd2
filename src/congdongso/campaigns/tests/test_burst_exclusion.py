"""Implausible bursts (more than N assists by one member within any 60 minutes) do not count, and
the member is flagged with the number excluded."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings, strategies as st

from congdongso.campaigns import commendations
from congdongso.campaigns.commendations import proposal
from congdongso.campaigns.tests.conftest import assist, days_ago, household
from congdongso.common.ids import new_id
from congdongso.indicators.periods import month_of
from congdongso.outreach.models import Assist


class _Rollback(Exception):
    pass


def _naive(minutes: list[float], limit: int) -> int:
    """How many of the moments lie in some window [t, t + 60) holding more than `limit`, by brute force."""
    times = sorted(minutes)
    marked = set()
    for start in times:
        inside = [i for i, t in enumerate(times) if start <= t < start + 60]
        if len(inside) > limit:
            marked.update(inside)
    return len(marked)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 300), min_size=1, max_size=30), st.integers(1, 6))
def test_the_database_windows_match_brute_force(land, homes, minutes, limit):
    """Whole minutes, so ties and gaps of exactly 60 minutes come up often."""
    member = land["members"]["a1"]
    start = days_ago(2, 7)
    rows = [Assist(id=new_id(), member=member, household=homes[0], village=land["a1"], services=["vneid-level2"],
                   outcome="done", occurred_at=start + dt.timedelta(minutes=m), month=month_of(start))
            for m in minutes]
    try:
        with transaction.atomic():
            Assist.objects.bulk_create(rows)
            (row,) = proposal(land["province"], **_period(), limit=limit).members
            assert row.excluded == _naive(minutes, limit)
            assert row.assists == len(minutes) - row.excluded
            raise _Rollback
    except _Rollback:
        pass


def test_window_edges(land, homes):
    member = land["members"]["a1"]
    start = days_ago(2, 7)
    # 13 assists 5 minutes apart span 60 minutes: the 13th falls outside [first, first + 60).
    at = [start + dt.timedelta(minutes=5 * i) for i in range(13)]
    Assist.objects.bulk_create([
        Assist(id=new_id(), member=member, household=homes[0], village=land["a1"], services=["vneid-level2"],
               outcome="done", occurred_at=t, month=month_of(t)) for t in at
    ])
    (row,) = proposal(land["province"], **_period()).members
    assert (row.assists, row.excluded) == (13, 0)
    Assist.objects.filter(occurred_at=at[-1]).update(occurred_at=at[-1] - dt.timedelta(seconds=1))
    (row,) = proposal(land["province"], **_period()).members
    assert (row.assists, row.excluded) == (0, 13)


@pytest.fixture
def homes(land):
    return [household(land["a1"], head=f"Hộ {n}", residents=[(f"Hộ {n}", 1980, "smartphone")]) for n in range(3)]


def _record(land, homes, minutes: list[int], *, key="a1", hour=8, days=2, outcome="done"):
    member = land["members"][key]
    for n, minute in enumerate(minutes):
        assist(member, homes[n % len(homes)], outcome=outcome, at=days_ago(days, hour) + dt.timedelta(minutes=minute))
    return member


def _period():
    day = days_ago(2).date()
    return {"starts_on": day - dt.timedelta(days=3), "ends_on": day + dt.timedelta(days=1)}


def test_thirteen_in_an_hour_across_a_clock_hour_are_excluded_and_flagged(land, homes):
    # 7 assists in the last 10 minutes of 8 o'clock and 6 in the first 10 of 9: 13 within 20 minutes.
    member = _record(land, homes, [50 + i for i in range(7)] + [60 + i for i in range(6)])
    _record(land, homes, [0, 120, 240], key="a2", hour=10)
    result = proposal(land["province"], **_period())
    rows = {row.pk: row for row in result.members}
    assert (rows[member.pk].assists, rows[member.pk].excluded, rows[member.pk].flagged) == (0, 13, True)
    steady = rows[land["members"]["a2"].pk]
    assert (steady.assists, steady.excluded) == (3, 0)
    assert [row.pk for row in result.members] == [steady.pk, member.pk]  # the flagged member ranks on 0
    assert result.excluded == 13


def test_twelve_in_an_hour_all_count(land, homes):
    member = _record(land, homes, [i * 4 for i in range(12)])
    (row,) = proposal(land["province"], **_period()).members
    assert (row.pk, row.assists, row.excluded) == (member.pk, 12, 0)


def test_only_the_burst_is_excluded_not_the_rest_of_the_day(land, homes):
    member = _record(land, homes, [i * 2 for i in range(14)] + [180, 300, 420])
    (row,) = proposal(land["province"], **_period()).members
    assert (row.pk, row.assists, row.excluded) == (member.pk, 3, 14)


def test_refused_assists_count_toward_a_burst_but_never_as_verified(land, homes):
    _record(land, homes, list(range(7)), outcome="refused")
    _record(land, homes, list(range(10, 16)))
    (row,) = proposal(land["province"], **_period()).members
    assert (row.assists, row.excluded) == (0, 13)


@override_settings(COMMENDATION_BURST_LIMIT=3)
def test_the_limit_is_a_setting(land, homes):
    _record(land, homes, [0, 10, 20, 30])
    (row,) = proposal(land["province"], **_period()).members
    assert (row.assists, row.excluded) == (0, 4)
    assert commendations.burst_limit() == 3


def test_a_flagged_members_team_counts_without_the_burst(land, homes):
    _record(land, homes, [i for i in range(13)] + [200])
    teams = {row.pk: row for row in proposal(land["province"], **_period()).teams}
    row = teams[land["teams"]["a1"].pk]
    assert (row.assists, row.excluded) == (1, 13)
