"""POST /api/v1/outreach/assists takes an optional campaign_id: accepted when the campaign runs on
the day of the help and covers the village, refused (422, in Vietnamese) otherwise."""

import datetime as dt

import pytest
from django.utils import timezone

from congdongso.campaigns.models import Campaign
from congdongso.campaigns.tests.conftest import days_ago, household
from congdongso.common.ids import new_id
from congdongso.indicators.models import Tally
from congdongso.outreach.models import Assist

URL = "/api/v1/outreach/assists"
TODAY = timezone.localdate


@pytest.fixture
def setup(land, client):
    province_campaign = Campaign.objects.create(
        name="Ra quân VNeID", unit=land["province"], starts_on=TODAY() - dt.timedelta(days=3),
        ends_on=TODAY() + dt.timedelta(days=3), service=land["catalogue"]["vneid-level2"],
    )
    other_commune = Campaign.objects.create(
        name="Chiến dịch xã Bình Minh", unit=land["b"], starts_on=TODAY() - dt.timedelta(days=3),
        ends_on=TODAY() + dt.timedelta(days=3),
    )
    client.force_login(land["members"]["a1"])
    return {"home": household(land["a1"]), "running": province_campaign, "elsewhere": other_commune}


def _post(client, home, **changes):
    body = {
        "id": str(new_id()), "household_id": str(home.pk), "services": ["vneid-level2"], "outcome": "done",
        "occurred_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(),
    }
    body.update(changes)
    return client.post(URL, body, content_type="application/json")


def test_an_assist_tagged_to_a_running_campaign_is_counted_for_it(client, land, setup):
    campaign = setup["running"]
    response = _post(client, setup["home"], campaign_id=campaign.pk)
    assert response.status_code == 201, response.json()
    assert Assist.objects.get().campaign == campaign
    metric = f"campaign.{campaign.pk}.service.vneid-level2"
    tallies = dict(Tally.objects.filter(metric=metric, period="").values_list("unit_id", "value"))
    assert tallies == {land["province"].pk: 1, land["a"].pk: 1, land["a1"].pk: 1}


def test_without_a_campaign_nothing_is_tagged(client, setup):
    assert _post(client, setup["home"]).status_code == 201
    assert Assist.objects.get().campaign_id is None


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("elsewhere", "Chiến dịch đã chọn không áp dụng cho thôn/tổ dân phố của hộ này."),
        ("missing", "Chiến dịch đã chọn không áp dụng cho thôn/tổ dân phố của hộ này."),
        ("before", "chỉ diễn ra từ"),
    ],
)
def test_a_campaign_not_running_or_elsewhere_is_refused_in_vietnamese(client, setup, which, message):
    campaign_id = {"elsewhere": setup["elsewhere"].pk, "missing": 987654, "before": setup["running"].pk}[which]
    at = days_ago(10) if which == "before" else timezone.now() - dt.timedelta(minutes=5)
    response = _post(client, setup["home"], campaign_id=campaign_id, occurred_at=at.isoformat())
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert message in response.json()["error"]["message"]
    assert not Assist.objects.exists()
    assert not Tally.objects.filter(metric__startswith="campaign.").exists()


def test_help_given_while_it_ran_still_counts_when_synced_after_the_end(client, land, setup):
    campaign = setup["running"]
    Campaign.objects.filter(pk=campaign.pk).update(ends_on=TODAY() - dt.timedelta(days=1))
    response = _post(client, setup["home"], campaign_id=campaign.pk, occurred_at=days_ago(2).isoformat())
    assert response.status_code == 201
    today = _post(client, setup["home"], campaign_id=campaign.pk)
    assert today.status_code == 422 and "chỉ diễn ra từ" in today.json()["error"]["message"]


def test_a_resend_with_another_campaign_is_a_conflict(client, setup):
    at = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    fields = {"id": str(new_id()), "occurred_at": at, "campaign_id": setup["running"].pk}
    assert _post(client, setup["home"], **fields).status_code == 201
    again = _post(client, setup["home"], **fields)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert _post(client, setup["home"], **{**fields, "campaign_id": None}).status_code == 409
    assert Assist.objects.count() == 1


def test_running_campaigns_of_a_village_for_the_phone(client, land, setup):
    response = client.get("/api/v1/campaigns/running", {"village": land["a1"].pk})
    assert response.status_code == 200
    assert [c["id"] for c in response.json()] == [setup["running"].pk]
    assert response.json()[0]["service"] == "vneid-level2"
    assert client.get("/api/v1/campaigns/running", {"village": land["b1"].pk}).status_code == 404
