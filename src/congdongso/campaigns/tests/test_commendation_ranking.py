"""Members and teams are ranked by verified assists (done or partly) in the period and scope, then
by households helped that now have a digital nucleus."""

import datetime as dt

import pytest
from django.urls import reverse

from congdongso.campaigns.commendations import proposal
from congdongso.campaigns.tests.conftest import assist, days_ago, household
from congdongso.outreach.tests.builders import give_skills


@pytest.fixture
def activity(land, make):
    catalogue = land["catalogue"]
    m = land["members"]
    # A nucleus household in a1: its head already has four skills; the fifth comes with the help.
    nucleus_home = household(land["a1"], head="Lê Văn Năm", residents=[("Lê Văn Năm", 1985, "smartphone")])
    give_skills(nucleus_home.residents.get(), catalogue,
                ["online_shopping", "online_payment", "online_safety", "local_platform"])
    plain_home = household(land["a1"], head="Phạm Thị Sáu", residents=[("Phạm Thị Sáu", 1950, "feature_phone")])
    a2_home = household(land["a2"])
    b1_home = household(land["b1"])
    assist(m["a1"], nucleus_home, resident=nucleus_home.residents.get(), independent=True, at=days_ago(3))
    assist(m["a1"], plain_home, outcome="partly", at=days_ago(3, 10))
    assist(m["a1"], plain_home, outcome="refused", at=days_ago(3, 11))
    for hour in (8, 9, 10):
        assist(m["a2"], a2_home, at=days_ago(4, hour))
    assist(m["a2"], a2_home, at=days_ago(40))  # before the period
    assist(m["b1"], b1_home, at=days_ago(2))
    assist(m["b1"], b1_home, outcome="needs_follow_up", at=days_ago(2, 11))
    # a1's member also sits on the commune team of A: their help counts for both teams.
    commune_team = make.team(land["a"], name="Tổ CNSCĐ Xã An Bình")
    make.member(commune_team, user=m["a1"], name="Thành viên a1")
    nucleus_home.refresh_from_db()
    assert nucleus_home.has_nucleus
    return {"commune_team": commune_team}


def _period():
    return {"starts_on": days_ago(10).date(), "ends_on": days_ago(0).date()}


def test_members_ranked_by_verified_assists_then_nucleus_households(land, activity):
    result = proposal(land["province"], **_period())
    m = land["members"]
    assert [(row.pk, row.assists, row.households) for row in result.members] == [
        (m["a2"].pk, 3, 0), (m["a1"].pk, 2, 1), (m["b1"].pk, 1, 0),
    ]
    assert [row.rank for row in result.members] == [1, 2, 3]
    assert "Tổ CNSCĐ Xã An Bình" in result.members[1].where and "Tổ CNSCĐ Thôn Đông" in result.members[1].where


def test_teams_ranked_through_their_members(land, activity):
    result = proposal(land["province"], **_period())
    t = land["teams"]
    assert [(row.pk, row.assists, row.households) for row in result.teams] == [
        (t["a2"].pk, 3, 0), (t["a1"].pk, 2, 1), (activity["commune_team"].pk, 2, 1), (t["b1"].pk, 1, 0),
    ]


def test_the_scope_is_the_units_subtree(land, activity):
    result = proposal(land["b"], **_period())
    assert [row.pk for row in result.members] == [land["members"]["b1"].pk]
    assert [row.pk for row in result.teams] == [land["teams"]["b1"].pk]


def test_a_member_who_left_before_the_period_does_not_count_for_the_team(land, activity):
    from congdongso.teams.models import Membership

    Membership.objects.filter(team=land["teams"]["a2"]).update(left_on=days_ago(20).date())
    ids = [row.pk for row in proposal(land["province"], **_period()).teams]
    assert land["teams"]["a2"].pk not in ids


def test_the_page_lists_both_and_links_the_exports(client, land, activity):
    client.force_login(land["province_officer"])
    period = {key: value.isoformat() for key, value in _period().items()}
    response = client.get(reverse("campaigns:commendations", args=[land["province"].pk]), period)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(land["members"]["a2"]) in html and "Tổ CNSCĐ Thôn Tây" in html
    assert [row.pk for row in response.context["members"]][0] == land["members"]["a2"].pk
    assert "format=xlsx" in html and "format=csv" in html
    bad = client.get(reverse("campaigns:commendations", args=[land["province"].pk]),
                     {"starts_on": period["ends_on"], "ends_on": period["starts_on"]})
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in bad.content.decode()
    assert bad.context["proposal"] is None


def test_default_period_is_this_month(client, land):
    client.force_login(land["province_officer"])
    response = client.get(reverse("campaigns:commendations", args=[land["province"].pk]))
    proposal_shown = response.context["proposal"]
    assert proposal_shown.starts_on.day == 1 and proposal_shown.ends_on - proposal_shown.starts_on < dt.timedelta(31)
