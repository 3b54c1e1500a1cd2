"""Officers launch, edit and set targets from the pages; the unit page and the top bar link to them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from congdongso.campaigns.models import Campaign, CampaignTarget

TODAY = timezone.localdate


def _dates(start: int, end: int) -> dict:
    return {"starts_on": (TODAY() + dt.timedelta(days=start)).isoformat(),
            "ends_on": (TODAY() + dt.timedelta(days=end)).isoformat()}


def test_an_officer_launches_edits_and_sets_targets(client, land):
    client.force_login(land["province_officer"])
    listing = client.get(reverse("campaigns:list"))
    assert reverse("campaigns:create", args=[land["province"].pk]) in listing.content.decode()
    service = land["catalogue"]["vneid-level2"]
    created = client.post(
        reverse("campaigns:create", args=[land["province"].pk]),
        {"name": "Ra quân tháng cao điểm", "service": service.pk, "description": "", **_dates(-1, 20)}, follow=True,
    )
    campaign = Campaign.objects.get()
    assert created.redirect_chain[-1][0] == reverse("campaigns:detail", args=[campaign.pk])
    assert (campaign.unit, campaign.service) == (land["province"], service)
    assert "Đã lập chiến dịch." in created.content.decode()

    saved = client.post(
        reverse("campaigns:targets", args=[campaign.pk, land["province"].pk]),
        {f"target-{land['a'].pk}": "30", f"target-{land['b'].pk}": ""}, follow=True,
    )
    assert "Đã lưu chỉ tiêu (1 thay đổi)." in saved.content.decode()
    assert dict(CampaignTarget.objects.values_list("unit_id", "target")) == {land["a"].pk: 30}
    refused = client.post(reverse("campaigns:targets", args=[campaign.pk, land["province"].pk]),
                          {f"target-{land['a'].pk}": "-3"}, follow=True)
    assert "Chỉ tiêu phải là số nguyên không âm: Xã An Bình." in refused.content.decode()

    edited = client.post(
        reverse("campaigns:edit", args=[campaign.pk]),
        {"name": "Ra quân (sửa)", "service": "", "description": "Mọi dịch vụ", **_dates(-1, 30)}, follow=True,
    )
    assert "Đã lưu chiến dịch." in edited.content.decode()
    campaign.refresh_from_db()
    assert (campaign.name, campaign.service, campaign.ends_on) == ("Ra quân (sửa)", None, TODAY() + dt.timedelta(30))


def test_form_errors_are_in_vietnamese(client, land):
    client.force_login(land["officer_a"])
    response = client.post(reverse("campaigns:create", args=[land["a"].pk]), {"name": "Ra quân", **_dates(5, 1)})
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in response.content.decode()
    missing = client.post(reverse("campaigns:create", args=[land["a"].pk]), {"name": ""})
    assert "Trường này không được để trống." in missing.content.decode()
    assert not Campaign.objects.exists()


def test_links_from_the_top_bar_and_the_unit_page(client, land):
    client.force_login(land["officer_a"])
    unit_page = client.get(reverse("web:unit", args=[land["a"].pk])).content.decode()
    assert f'{reverse("campaigns:list")}?unit={land["a"].pk}' in unit_page
    assert f'<a href="{reverse("campaigns:list")}">' in unit_page  # the top bar
    for_unit = client.get(reverse("campaigns:list"), {"unit": land["a"].pk})
    assert for_unit.status_code == 200
    assert reverse("campaigns:create", args=[land["a"].pk]) in for_unit.content.decode()
    assert reverse("campaigns:commendations", args=[land["a"].pk]) in for_unit.content.decode()
    assert client.get(reverse("campaigns:list"), {"unit": land["b"].pk}).status_code == 404
