"""The leaderboard ranks child units by share of target reached, then by count; no target last."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.campaigns import selectors
from congdongso.campaigns.models import Campaign, CampaignTarget
from congdongso.geo.models import Unit
from congdongso.indicators.models import Tally


@pytest.fixture
def race(land, make):
    province = land["province"]
    communes = [land["a"], land["b"]] + [make.commune(province, name=f"Xã {name}") for name in ("Cam", "Dương", "Én")]
    campaign = Campaign.objects.create(name="Ra quân", unit=province, starts_on=timezone.localdate(),
                                       ends_on=timezone.localdate() + dt.timedelta(days=9))
    metric = f"campaign.{campaign.pk}.assists"
    # (count, target): A 50%, Bình Minh 50% with more, Cam 120%, Dương no target, Én no target but more.
    plan = {"Xã An Bình": (5, 10), "Xã Bình Minh": (10, 20), "Xã Cam": (12, 10), "Xã Dương": (3, None),
            "Xã Én": (7, None)}
    for commune in communes:
        count, target = plan[commune.name]
        Tally.objects.create(unit=commune, period="", metric=metric, value=count)
        if target:
            CampaignTarget.objects.create(campaign=campaign, unit=commune, target=target)
    return campaign


def test_rank_by_share_then_count_then_untargeted(land, race):
    rows = selectors.leaderboard(race, land["province"])
    assert [row.unit.name for row in rows] == ["Xã Cam", "Xã Bình Minh", "Xã An Bình", "Xã Én", "Xã Dương"]
    assert [row.percent for row in rows] == [120.0, 50.0, 50.0, None, None]
    assert rows[0].reached and rows[0].bar == 100


def test_the_leaderboard_page(client, land, race):
    client.force_login(land["province_officer"])
    response = client.get(reverse("campaigns:leaderboard", args=[race.pk, land["province"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Xã Cam") < html.index("Xã Bình Minh") < html.index("Xã An Bình") < html.index("Xã Én")
    assert isinstance(response.context["rows"][0].unit, Unit)
