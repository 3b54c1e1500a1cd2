"""A unit's dashboard reads its figures from tallies, ranks children, and keeps to scope."""

import datetime as dt

import pytest
from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.households.services import household_create
from congdongso.indicators.models import Indicator, Tally
from congdongso.indicators.services import target_set
from congdongso.testing.factories import PASSWORD


@pytest.fixture
def province_with_data(two_communes, make):
    for _ in range(3):
        household_create(village=two_communes["village_a"], actor_id=None)
    household_create(village=two_communes["village_b"], actor_id=None)
    officer = make.user(Role.PROVINCE_OFFICER, two_communes["province"])
    return {**two_communes, "officer": officer}


def _get(client, user, unit, **params):
    client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("indicators:dashboard", args=[unit.pk]), params)


def test_province_dashboard_shows_tallied_figures_and_children(client, province_with_data):
    data = province_with_data
    response = _get(client, data["officer"], data["province"])
    assert response.status_code == 200
    children = response.context["board"].children
    households = {row.unit.pk: row.values["households"] for row in children}
    assert households == {data["a"].pk: 3, data["b"].pk: 1}
    coverage = next(c for c in response.context["board"].cards if c.indicator.code == "coverage")
    assert coverage.value == 100.0  # each commune's village has a team
    assert "Xã An Bình" in response.content.decode()


def test_figures_come_from_tallies_not_from_facts(client, province_with_data):
    data = province_with_data
    Tally.objects.filter(unit=data["province"], metric="households").update(value=41)
    response = _get(client, data["officer"], data["province"])
    households = next(c for c in response.context["board"].others if c.indicator.code == "households")
    assert households.value == 41


def test_children_sort_by_any_column(client, province_with_data):
    data = province_with_data
    ascending = _get(client, data["officer"], data["province"], sort="households")
    assert [r.unit.pk for r in ascending.context["board"].children] == [data["b"].pk, data["a"].pk]
    descending = _get(client, data["officer"], data["province"], sort="households", dir="desc")
    assert [r.unit.pk for r in descending.context["board"].children] == [data["a"].pk, data["b"].pk]


def test_a_target_colours_the_card_and_marks_children_behind(client, province_with_data):
    data = province_with_data
    indicator = Indicator.objects.get(code="households")
    target_set(unit=data["province"], indicator=indicator, value=2, due_on=dt.date(2030, 12, 31), actor_id=None)
    response = _get(client, data["officer"], data["province"])
    rows = {row.unit.pk: row.behind for row in response.context["board"].children}
    assert rows == {data["a"].pk: [], data["b"].pk: ["households"]}


def test_out_of_scope_dashboard_is_404(client, province_with_data):
    data = province_with_data
    assert _get(client, data["officer_a"], data["b"]).status_code == 404
    assert _get(client, data["officer_a"], data["a"]).status_code == 200


def test_officer_sets_a_target_from_the_dashboard(client, province_with_data):
    data = province_with_data
    client.login(username=data["officer_a"].username, password=PASSWORD)
    indicator = Indicator.objects.get(code="nucleus-rate")
    response = client.post(
        reverse("indicators:targets", args=[data["a"].pk]),
        {"indicator": indicator.pk, "value": "80", "due_on": "2026-12-31"}, follow=True,
    )
    assert "Đã lưu mục tiêu." in response.content.decode()
    assert data["a"].indicator_targets.get().value == 80
    refused = client.post(
        reverse("indicators:targets", args=[data["a"].pk]),
        {"indicator": indicator.pk, "value": "180", "due_on": "2026-12-31"}, follow=True,
    )
    assert "Mục tiêu tỷ lệ phải từ 0 đến 100%." in refused.content.decode()
    assert client.post(reverse("indicators:targets", args=[data["b"].pk]),
                       {"indicator": indicator.pk, "value": "80", "due_on": "2026-12-31"}).status_code == 404


def test_villages_without_team_list(client, province_with_data, make):
    data = province_with_data
    lonely = make.village(data["a"], name="Thôn Xa")
    client.login(username=data["officer"].username, password=PASSWORD)
    response = client.get(reverse("indicators:villages_without_team", args=[data["province"].pk]))
    assert [v.pk for v in response.context["page_obj"]] == [lonely.pk]
