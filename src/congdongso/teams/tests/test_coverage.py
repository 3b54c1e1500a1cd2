import datetime as dt

import pytest

from congdongso.teams.models import Affiliation
from congdongso.teams.selectors import child_coverage, coverage
from congdongso.teams.services import membership_end, team_update


@pytest.mark.django_db
def test_coverage_counts_villages_with_an_active_team_and_members_by_affiliation(make):
    province = make.province()
    commune = make.commune(province)
    v1, v2, v3 = (make.village(commune) for _ in range(3))
    assert coverage(commune).villages == 3 and coverage(commune).percent == 0.0

    team1 = make.team(v1)
    make.member(team1, affiliation=Affiliation.POLICE)
    leaving = make.member(team1, affiliation=Affiliation.TEACHER)
    team2 = make.team(v2)
    make.member(team2, affiliation=Affiliation.POLICE)
    make.team(commune)  # a commune-level team covers no village by itself

    result = coverage(commune)
    assert (result.villages, result.villages_with_team, result.percent) == (3, 2, 66.7)
    assert (result.teams, result.active_teams, result.members) == (3, 3, 3)
    assert result.members_by_affiliation[Affiliation.POLICE] == 2
    assert result.members_by_affiliation[Affiliation.TEACHER] == 1

    membership_end(membership=leaving, left_on=dt.date(2026, 6, 1), actor_id=None)
    team_update(team=team2, is_active=False, actor_id=None)
    result = coverage(commune)
    assert (result.villages_with_team, result.members, result.active_teams) == (1, 1, 2)
    assert result.members_by_affiliation[Affiliation.TEACHER] == 0
    assert coverage(province).villages == 3 and coverage(v3).villages == 1


@pytest.mark.django_db
def test_child_coverage_groups_by_direct_child(make):
    province = make.province()
    a, b = make.commune(province), make.commune(province)
    a1, a2, b1 = make.village(a), make.village(a), make.village(b)
    make.member(make.team(a1))
    make.member(make.team(a))  # a commune-level team's members count for the commune
    make.member(make.team(b1))
    make.member(make.team(b1))

    by_commune = child_coverage(province)
    assert by_commune[a.pk].villages == 2 and by_commune[a.pk].villages_with_team == 1
    assert by_commune[a.pk].members == 2 and by_commune[a.pk].percent == 50.0
    assert by_commune[b.pk].villages == 1 and by_commune[b.pk].members == 2

    by_village = child_coverage(a)
    assert by_village[a1.pk].villages_with_team == 1 and by_village[a1.pk].members == 1
    assert by_village[a2.pk].villages_with_team == 0
    assert set(by_village) == {a1.pk, a2.pk}
