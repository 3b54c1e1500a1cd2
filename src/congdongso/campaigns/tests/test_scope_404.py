"""Out of scope answers 404: campaigns of other provinces or communes, units outside the user's scope
or the campaign, officer-only pages for members, commendations of units one does not manage."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.accounts.models import Role
from congdongso.campaigns.models import Campaign


@pytest.fixture
def drives(land, make):
    window = {"starts_on": timezone.localdate(), "ends_on": timezone.localdate() + dt.timedelta(days=9)}
    other_province = make.province()
    return {
        "province": Campaign.objects.create(name="Ra quân tỉnh", unit=land["province"], **window),
        "b": Campaign.objects.create(name="Xã Bình Minh ra quân", unit=land["b"], **window),
        "elsewhere": Campaign.objects.create(name="Tỉnh khác", unit=other_province, **window),
    }


def _status(client, user, name, *args, data=None, method="get"):
    client.force_login(user)
    return getattr(client, method)(reverse(name, args=args), data or {}).status_code


def test_campaigns_of_other_provinces_and_communes_are_404(client, land, drives):
    officer_a = land["officer_a"]
    assert _status(client, officer_a, "campaigns:detail", drives["elsewhere"].pk) == 404
    assert _status(client, officer_a, "campaigns:detail", drives["b"].pk) == 404
    assert _status(client, officer_a, "campaigns:leaderboard", drives["b"].pk, land["b"].pk) == 404
    assert _status(client, officer_a, "campaigns:detail", drives["province"].pk) == 200
    listed = client.get(reverse("campaigns:list")).context["groups"][0][2]
    assert {c.pk for c in listed} == {drives["province"].pk}


def test_a_commune_officer_sees_a_province_campaign_from_their_commune_down(client, land, drives):
    campaign = drives["province"]
    client.force_login(land["officer_a"])
    page = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert page.context["unit"] == land["a"]  # not the whole province
    assert _status(client, land["officer_a"], "campaigns:unit", campaign.pk, land["b"].pk) == 404
    assert _status(client, land["officer_a"], "campaigns:unit", campaign.pk, land["province"].pk) == 404
    assert _status(client, land["officer_a"], "campaigns:unit", campaign.pk, land["a1"].pk) == 200
    assert _status(client, land["officer_a"], "campaigns:leaderboard", campaign.pk, land["province"].pk) == 404


def test_units_outside_the_campaign_are_404(client, land, drives):
    assert _status(client, land["province_officer"], "campaigns:unit", drives["b"].pk, land["a"].pk) == 404


def test_members_cannot_open_officer_pages(client, land, drives):
    member = land["members"]["a1"]
    assert _status(client, member, "campaigns:detail", drives["province"].pk) == 200
    assert _status(client, member, "campaigns:edit", drives["province"].pk) == 404
    assert _status(client, member, "campaigns:create", land["a"].pk) == 404
    assert _status(client, member, "campaigns:commendations", land["a"].pk) == 404
    assert _status(client, member, "campaigns:targets", drives["province"].pk, land["a1"].pk, method="post") == 404


def test_officers_cannot_act_beyond_their_units(client, land, drives):
    officer_a = land["officer_a"]
    assert _status(client, officer_a, "campaigns:edit", drives["province"].pk) == 404
    assert _status(client, officer_a, "campaigns:create", land["b"].pk) == 404
    assert _status(client, officer_a, "campaigns:create", land["province"].pk) == 404
    assert _status(client, officer_a, "campaigns:commendations", land["b"].pk) == 404
    assert _status(client, officer_a, "campaigns:commendation_export", land["b"].pk) == 404
    assert _status(client, officer_a, "campaigns:targets", drives["province"].pk, land["b"].pk, method="post") == 404
    assert _status(client, officer_a, "campaigns:commendations", land["a"].pk) == 200


def test_team_leaders_do_not_propose_commendations(client, land, make):
    leader = make.user(Role.TEAM_LEADER, land["a1"])
    assert _status(client, leader, "campaigns:commendations", land["a1"].pk) == 404


def test_anonymous_users_are_sent_to_login(client, drives):
    response = client.get(reverse("campaigns:detail", args=[drives["province"].pk]))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
