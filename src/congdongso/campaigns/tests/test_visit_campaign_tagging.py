"""The visit screen offers the campaigns running in the household's village, preselected so the
common case stays two taps, and tags the saved assist with the member's choice."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.campaigns.models import Campaign
from congdongso.campaigns.tests.conftest import household
from congdongso.common.ids import new_id
from congdongso.outreach.models import Assist

TODAY = timezone.localdate


def _campaign(unit, name, *, days_left=5, started=2):
    return Campaign.objects.create(
        name=name, unit=unit, starts_on=TODAY() - dt.timedelta(days=started),
        ends_on=TODAY() + dt.timedelta(days=days_left),
    )


@pytest.fixture
def visit(land, client):
    client.force_login(land["members"]["a1"])
    home = household(land["a1"])
    return home, reverse("outreach:visit", args=[home.pk])


def _save(client, url, **fields):
    data = {"assist_id": str(new_id()), "service": "vneid-level2", "outcome": "assisted", "channel": "door"}
    data.update(fields)
    return client.post(url, data, follow=True)


def test_no_campaign_running_shows_no_choice_and_tags_nothing(client, land, visit):
    home, url = visit
    _campaign(land["province"], "Đã kết thúc", days_left=-1, started=10)
    _campaign(land["b"], "Xã khác")
    page = client.get(url)
    assert 'id="campaign-pick"' not in page.content.decode()
    _save(client, url)
    assert Assist.objects.get().campaign_id is None


def test_the_one_running_campaign_is_preselected_and_two_taps_tag_it(client, land, visit):
    home, url = visit
    campaign = _campaign(land["province"], "Ra quân VNeID")
    page = client.get(url).content.decode()
    assert 'id="campaign-pick"' in page and "Ra quân VNeID" in page
    assert f'value="{campaign.pk}"' in page
    form = client.get(url).context["form"]
    assert form["campaign"].value() == str(campaign.pk)
    # The two taps: a service, then an outcome; the preselected campaign comes along.
    _save(client, url, campaign=str(campaign.pk))
    assert Assist.objects.get().campaign == campaign


def test_the_member_may_say_none_and_the_choice_sticks(client, land, visit):
    home, url = visit
    campaign = _campaign(land["province"], "Ra quân VNeID")
    _save(client, url, campaign="")
    assert Assist.objects.get().campaign_id is None
    assert client.get(url).context["form"]["campaign"].value() == ""
    _save(client, url, campaign=str(campaign.pk))
    assert client.get(url).context["form"]["campaign"].value() == str(campaign.pk)


def test_with_several_running_none_is_preselected_until_the_member_picks(client, land, visit):
    home, url = visit
    first = _campaign(land["province"], "Ra quân tỉnh")
    second = _campaign(land["a"], "Chiến dịch xã An Bình")
    assert client.get(url).context["form"]["campaign"].value() == ""
    _save(client, url, campaign=str(second.pk))
    assert Assist.objects.get().campaign == second
    # The next household of the same member starts with that choice.
    other = household(land["a1"], head="Trần Thị Ba", residents=[("Trần Thị Ba", 1970, "smartphone")])
    assert client.get(reverse("outreach:visit", args=[other.pk])).context["form"]["campaign"].value() == str(second.pk)
    assert first.pk != second.pk


def test_a_campaign_that_is_not_offered_is_refused(client, land, visit):
    home, url = visit
    _campaign(land["province"], "Ra quân VNeID")
    elsewhere = _campaign(land["b"], "Xã khác")
    response = _save(client, url, campaign=str(elsewhere.pk))
    assert "Chiến dịch đã chọn không còn diễn ra; vui lòng chọn lại." in response.content.decode()
    assert not Assist.objects.exists()
