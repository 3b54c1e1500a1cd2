"""The seeded national catalogue: every skill covered, stable codes, rules that make sense, and
codes that are never reused."""

import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from congdongso.catalog.models import RecommendationRule, Service, Skill
from congdongso.catalog.seed import RULES, SERVICES, national_catalogue_ensure
from congdongso.catalog.services import service_create
from congdongso.households.models import TAG_FIELDS, Device

pytestmark = pytest.mark.django_db

NAMED_IN_THE_ISSUE = {
    "vneid-level2", "public-service-portal-account", "online-dossier", "cashless-account", "merchant-qr",
    "ecommerce-selling", "online-shopping", "vssid", "health-book", "telehealth", "school-fee-payment",
    "utility-bill-payment", "scam-awareness", "data-self-protection",
}


def test_the_migration_seeded_every_national_service_and_rule():
    codes = set(Service.objects.filter(province__isnull=True).values_list("code", flat=True))
    assert NAMED_IN_THE_ISSUE <= codes
    assert codes == {row[0] for row in SERVICES}
    assert RecommendationRule.objects.filter(province__isnull=True).count() == len(RULES)


def test_every_skill_has_national_services_and_some_work_without_a_smartphone():
    services = list(Service.objects.filter(province__isnull=True))
    assert {s.skill for s in services} == set(Skill.values)
    # Feature-phone owners can still be helped with payment and with staying safe.
    without = {s.skill for s in services if not s.needs_smartphone}
    assert {Skill.ONLINE_PAYMENT, Skill.ONLINE_SAFETY} <= without
    assert Service.objects.get(code="scam-awareness").needs_smartphone is False
    assert Service.objects.get(code="vneid-level2").needs_smartphone is True


def test_codes_are_stable_lowercase_and_unique():
    codes = [row[0] for row in SERVICES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code) and len(code) <= 40 for code in codes)


def test_rules_name_known_services_tags_and_devices_with_vietnamese_reasons():
    services = {row[0]: row for row in SERVICES}
    for code, tags, min_age, max_age, devices, priority, reason in RULES:
        assert code in services
        assert set(tags) <= set(TAG_FIELDS)
        assert set(devices) <= set(Device.values)
        assert reason and len(reason) <= 200
        if devices and Device.SMARTPHONE not in devices:
            assert services[code][3] is False, f"{code} needs a smartphone but is recommended to {devices}"


def test_the_reason_named_in_the_issue_is_a_trader_rule():
    rule = RecommendationRule.objects.get(reason="Hộ kinh doanh: chưa nhận thanh toán QR")
    assert rule.service.code == "merchant-qr" and rule.tags_any == ["business"] and rule.province is None


def test_seeding_again_adds_nothing_and_keeps_edits():
    vneid = Service.objects.get(code="vneid-level2")
    vneid.name = "VNeID (đã sửa)"
    vneid.save()
    assert national_catalogue_ensure() == (0, 0)
    assert Service.objects.get(code="vneid-level2").name == "VNeID (đã sửa)"


def test_a_used_code_is_refused_even_when_the_service_is_no_longer_offered(make):
    Service.objects.filter(code="vssid").update(is_active=False)
    with pytest.raises(ValidationError, match="không bao giờ được dùng lại"):
        service_create(code="VSSID", name="Khác", skill=Skill.PUBLIC_SERVICES, province=make.province(), actor_id=None)


def test_services_are_never_deleted_so_codes_never_come_free():
    service = Service.objects.get(code="telehealth")
    with pytest.raises(ProtectedError):
        service.delete()
    with pytest.raises(ProtectedError):
        Service.objects.filter(code="telehealth").delete()
    assert Service.objects.filter(code="telehealth").exists()
    assert admin.site._registry[Service].has_delete_permission(request=None) is False
