"""campaign_create / campaign_update / campaign_targets_set: who may, dates, Vietnamese errors, audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.campaigns.models import CampaignTarget
from congdongso.campaigns.services import campaign_create, campaign_targets_set, campaign_update
from congdongso.campaigns.tests.conftest import assist, days_ago, household

TODAY = timezone.localdate


def _create(land, actor=None, unit=None, **changes):
    fields = {
        "actor": actor or land["province_officer"], "unit": unit or land["province"], "name": "Ra quân VNeID",
        "starts_on": TODAY() - dt.timedelta(days=5), "ends_on": TODAY() + dt.timedelta(days=20),
        "service": land["catalogue"]["vneid-level2"],
    }
    fields.update(changes)
    return campaign_create(**fields)


def _message(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_a_province_officer_launches_a_campaign_and_it_is_audited(land):
    campaign = _create(land, name="  Ra quân   tháng 10 ")
    assert campaign.name == "Ra quân tháng 10"
    assert campaign.created_by == land["province_officer"]
    event = AuditEvent.objects.get(action="campaign.create")
    assert (event.object_id, event.unit_id, event.details["service"]) == (str(campaign.pk), land["province"].pk,
                                                                         "vneid-level2")


def test_a_commune_officer_launches_one_for_their_commune_only(land):
    assert _create(land, actor=land["officer_a"], unit=land["a"]).unit == land["a"]
    with pytest.raises(ValidationError) as excinfo:
        _create(land, actor=land["officer_a"], unit=land["b"])
    assert "Chỉ cán bộ quản lý Xã Bình Minh" in _message(excinfo)
    with pytest.raises(ValidationError):
        _create(land, actor=land["officer_a"], unit=land["province"])


def test_members_and_villages_cannot_launch(land):
    with pytest.raises(ValidationError):
        _create(land, actor=land["members"]["a1"], unit=land["a"])
    with pytest.raises(ValidationError) as excinfo:
        _create(land, unit=land["a1"])
    assert "Chỉ tỉnh/thành phố hoặc xã/phường" in _message(excinfo)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "   "}, "Cần đặt tên chiến dịch."),
        ({"ends_on": TODAY() - dt.timedelta(days=6)}, "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."),
        ({"starts_on": TODAY() - dt.timedelta(days=30), "ends_on": TODAY() - dt.timedelta(days=1)},
         "Ngày kết thúc đã qua"),
        ({"ends_on": TODAY() + dt.timedelta(days=400)}, "tối đa 366 ngày"),
        ({"description": "x" * 501}, "Mô tả tối đa 500 ký tự."),
    ],
)
def test_bad_fields_are_refused_in_vietnamese(land, changes, message):
    with pytest.raises(ValidationError) as excinfo:
        _create(land, **changes)
    assert message in _message(excinfo)
    assert not AuditEvent.objects.filter(action="campaign.create").exists()


def test_a_service_of_another_province_is_refused(land, make):
    from congdongso.catalog.models import Service, Skill

    elsewhere = Service.objects.create(code="app-khac", name="Ứng dụng tỉnh khác", skill=Skill.LOCAL_PLATFORM,
                                       province=make.province())
    with pytest.raises(ValidationError) as excinfo:
        _create(land, service=elsewhere)
    assert "Dịch vụ trọng tâm không có trong danh mục" in _message(excinfo)


def test_update_keeps_every_tagged_assist_inside_the_dates(land):
    campaign = _create(land)
    home = household(land["a1"])
    assist(land["members"]["a1"], home, at=days_ago(3), campaign=campaign)
    fields = {"name": "Ra quân (gia hạn)", "service": None, "description": "Mọi dịch vụ"}
    with pytest.raises(ValidationError) as excinfo:
        campaign_update(actor=land["province_officer"], campaign=campaign, starts_on=TODAY() - dt.timedelta(days=2),
                        ends_on=TODAY() + dt.timedelta(days=5), **fields)
    assert "phải bao gồm các ngày đó" in _message(excinfo)
    updated = campaign_update(actor=land["province_officer"], campaign=campaign,
                              starts_on=TODAY() - dt.timedelta(days=3), ends_on=TODAY(), **fields)
    campaign.refresh_from_db()
    assert (campaign.name, campaign.service, campaign.ends_on) == ("Ra quân (gia hạn)", None, TODAY())
    assert updated.pk == campaign.pk
    assert AuditEvent.objects.filter(action="campaign.update", object_id=str(campaign.pk)).count() == 1


def test_a_commune_officer_cannot_edit_the_province_campaign(land):
    campaign = _create(land)
    with pytest.raises(ValidationError):
        campaign_update(actor=land["officer_a"], campaign=campaign, name="Đổi tên", starts_on=campaign.starts_on,
                        ends_on=campaign.ends_on)


def test_targets_per_child_unit_set_change_and_remove(land):
    campaign = _create(land)
    a, b = land["a"], land["b"]
    assert campaign_targets_set(actor=land["province_officer"], campaign=campaign, targets={a.pk: 30, b.pk: 20}) == 2
    assert campaign_targets_set(actor=land["province_officer"], campaign=campaign, targets={a.pk: 30, b.pk: 25}) == 1
    assert campaign_targets_set(actor=land["province_officer"], campaign=campaign, targets={a.pk: None, b.pk: 25}) == 1
    assert dict(CampaignTarget.objects.values_list("unit_id", "target")) == {b.pk: 25}
    events = AuditEvent.objects.filter(action="campaign.targets").order_by("pk")
    assert [e.details for e in events] == [
        {"set": sorted([a.pk, b.pk]), "removed": []}, {"set": [b.pk], "removed": []}, {"set": [], "removed": [a.pk]},
    ]


def test_targets_outside_the_campaign_or_the_officers_units_are_refused(land, make):
    campaign = _create(land, actor=land["officer_a"], unit=land["a"])
    with pytest.raises(ValidationError) as excinfo:
        campaign_targets_set(actor=land["province_officer"], campaign=campaign, targets={land["b1"].pk: 5})
    assert "thuộc phạm vi chiến dịch" in _message(excinfo)
    province_campaign = _create(land)
    with pytest.raises(ValidationError) as excinfo:
        campaign_targets_set(actor=land["officer_a"], campaign=province_campaign, targets={land["b"].pk: 5})
    assert "Bạn không quản lý Xã Bình Minh" in _message(excinfo)
    # A commune officer sets the targets of their own villages in the province's campaign.
    assert campaign_targets_set(actor=land["officer_a"], campaign=province_campaign,
                                targets={land["a1"].pk: 4, land["a2"].pk: 6}) == 2
    with pytest.raises(ValidationError):
        campaign_targets_set(actor=land["province_officer"], campaign=province_campaign, targets={land["a"].pk: -1})
