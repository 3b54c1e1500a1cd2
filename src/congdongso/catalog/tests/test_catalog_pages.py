"""The catalogue pages: everyone logged in sees the national services and their province's own; a
province officer adds services and adjusts the province's rules; every change is audited."""

import pytest
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.catalog.models import RecommendationRule, Service
from congdongso.catalog.services import rule_create, service_create
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_apps(world):
    mine = service_create(
        code="hbt-cong-dan", name="Ứng dụng Công dân số Hòa Bình Thử", skill="local_platform",
        province=world["province"], actor_id=None,
    )
    theirs = service_create(
        code="xx-cong-dan", name="Ứng dụng Công dân Xa Xôi", skill="local_platform", province=world["other"],
        actor_id=None,
    )
    return mine, theirs


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("catalog:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "commune_officer", "province_officer"])
def test_everyone_sees_national_services_and_their_own_provinces_only(client, world, local_apps, who):
    client.force_login(world[who])
    text = page_text(client.get(reverse("catalog:list"), {"q": "cong dan"}))
    assert "Ứng dụng Công dân số Hòa Bình Thử" in text
    assert "Ứng dụng Công dân Xa Xôi" not in text
    text = page_text(client.get(reverse("catalog:list")))
    assert "Định danh điện tử mức 2 (VNeID)" in text
    assert ("Quản lý danh mục của tỉnh" in text) == (who == "province_officer")


def test_search_ignores_diacritics_and_filters_by_skill(client, world):
    client.force_login(world["member"])
    text = page_text(client.get(reverse("catalog:list"), {"q": "THANH TOAN HOA DON"}))
    assert "Thanh toán hóa đơn điện, nước, viễn thông" in text and "VNeID" not in text
    text = page_text(client.get(reverse("catalog:list"), {"skill": "online_safety"}))
    assert "Nhận biết và phòng tránh lừa đảo trực tuyến" in text and "VNeID" not in text
    text = page_text(client.get(reverse("catalog:list"), {"q": "không có dịch vụ nào như thế"}))
    assert "Không có dịch vụ nào khớp với bộ lọc." in text
    assert client.get(reverse("catalog:list"), {"skill": "x" * 500, "page": "abc", "q": "\x00"}).status_code == 200


def test_the_list_is_paginated(client, world):
    for n in range(10):
        service_create(code=f"hbt-{n}", name=f"Dịch vụ tỉnh {n}", skill="local_platform", province=world["province"], actor_id=None)
    client.force_login(world["member"])
    first = page_text(client.get(reverse("catalog:list")))
    second = page_text(client.get(reverse("catalog:list"), {"page": 2}))
    assert "Trang 1/2" in first and "Trang 2/2" in second
    # A province's own services come after the national ones of their skill.
    assert "Dịch vụ tỉnh 9" in second and "Dịch vụ tỉnh 9" not in first
    assert "Định danh điện tử mức 2 (VNeID)" in first and "Định danh điện tử mức 2 (VNeID)" not in second


def test_a_province_officer_adds_a_service_of_their_province(client, world):
    client.force_login(world["province_officer"])
    url = reverse("catalog:service_create", args=[world["province"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "code": " HBT-App ", "name": "  Ứng dụng   tỉnh  ", "skill": "local_platform", "description": "",
        "needs_smartphone": "on",
    })
    assert response.status_code == 302 and response["Location"] == reverse("catalog:rules", args=[world["province"].pk])
    service = Service.objects.get(code="hbt-app")
    assert (service.name, service.province, service.needs_smartphone) == ("Ứng dụng tỉnh", world["province"], True)
    event = AuditEvent.objects.get(action="service.create", object_id=str(service.pk))
    assert event.actor_id == world["province_officer"].pk and event.unit_id == world["province"].pk


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("commune_officer", 404), ("other_officer", 404)])
def test_others_cannot_add_a_service_to_the_province(client, world, who, status):
    client.force_login(world[who])
    url = reverse("catalog:service_create", args=[world["province"].pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"code": "lau", "name": "Lậu", "skill": "local_platform"}).status_code == status
    assert not Service.objects.filter(code="lau").exists()


def test_a_national_admin_manages_any_province(client, world):
    client.force_login(world["admin"])
    url = reverse("catalog:service_create", args=[world["other"].pk])
    assert client.post(url, {"code": "xx-moi", "name": "Mới", "skill": "online_safety"}).status_code == 302
    assert Service.objects.get(code="xx-moi").province == world["other"]


def test_a_province_officer_edits_and_deactivates_a_service_of_their_province_only(client, world, local_apps):
    mine, theirs = local_apps
    client.force_login(world["province_officer"])
    response = client.post(
        reverse("catalog:service_edit", args=[mine.pk]), {"name": "Công dân số", "description": "Mô tả"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.is_active, mine.needs_smartphone, mine.code) == ("Công dân số", False, False, "hbt-cong-dan")
    assert AuditEvent.objects.filter(action="service.update", object_id=str(mine.pk)).exists()
    # Still listed for them (to switch it back on), hidden from members.
    assert "Ngừng dùng" in page_text(client.get(reverse("catalog:list"), {"q": "cong dan so"}))
    assert client.get(reverse("catalog:service_edit", args=[theirs.pk])).status_code == 404
    national = Service.objects.get(code="vneid-level2")
    assert client.get(reverse("catalog:service_edit", args=[national.pk])).status_code == 403
    client.force_login(world["member"])
    assert "Công dân số" not in page_text(client.get(reverse("catalog:list"), {"q": "cong dan so"}))


def test_the_rule_page_shows_province_rules_and_which_national_ones_they_replace(client, world):
    vneid = Service.objects.get(code="vneid-level2")
    rule_create(
        province=world["province"], service=vneid, tags_any=["elderly"], min_age=None, max_age=None, devices=[],
        priority=3, reason="Tỉnh: VNeID cho người cao tuổi", actor_id=None,
    )
    client.force_login(world["province_officer"])
    text = page_text(client.get(reverse("catalog:rules", args=[world["province"].pk])))
    assert "Tỉnh: VNeID cho người cao tuổi" in text and "Có người cao tuổi" in text
    assert "Tỉnh đã thay bằng quy tắc riêng" in text
    assert "Trang 1/2" in text
    client.force_login(world["other_officer"])
    assert client.get(reverse("catalog:rules", args=[world["province"].pk])).status_code == 404


def test_a_province_officer_adjusts_a_national_rule_edits_and_deactivates_it(client, world):
    client.force_login(world["province_officer"])
    province = world["province"]
    national = RecommendationRule.objects.get(reason="Hộ kinh doanh: chưa nhận thanh toán QR")
    url = reverse("catalog:rule_create", args=[province.pk])
    form_page = page_text(client.get(url, {"from": national.pk}))
    assert "Hộ kinh doanh: chưa nhận thanh toán QR" in form_page
    response = client.post(url, {
        "service": national.service_id, "reason": "Tiểu thương chợ: in biển QR", "tags_any": ["business"],
        "priority": "2", "min_age": "", "max_age": "",
    })
    assert response.status_code == 302
    rule = RecommendationRule.objects.get(province=province)
    assert (rule.reason, rule.tags_any, rule.priority, rule.devices) == ("Tiểu thương chợ: in biển QR", ["business"], 2, [])
    response = client.post(reverse("catalog:rule_edit", args=[rule.pk]), {
        "service": rule.service_id, "reason": "Tiểu thương: in biển QR", "tags_any": ["business"],
        "priority": "1", "min_age": "18", "max_age": "70", "devices": ["smartphone", "feature_phone"],
    })
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.priority, rule.min_age, rule.max_age, rule.devices) == (1, 18, 70, ["feature_phone", "smartphone"])
    assert client.post(reverse("catalog:rule_active", args=[rule.pk]), {"is_active": "0"}).status_code == 302
    rule.refresh_from_db()
    assert rule.is_active is False
    actions = list(AuditEvent.objects.filter(object_type="catalog.rule", object_id=str(rule.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["rule.create", "rule.deactivate", "rule.update"]
    # National rules are not editable through the pages, and others' rules are out of scope.
    assert client.get(reverse("catalog:rule_edit", args=[national.pk])).status_code == 404
    client.force_login(world["other_officer"])
    assert client.post(reverse("catalog:rule_active", args=[rule.pk]), {"is_active": "1"}).status_code == 404
    client.force_login(world["commune_officer"])
    assert client.get(reverse("catalog:rule_edit", args=[rule.pk])).status_code == 404
    rule.refresh_from_db()
    assert rule.is_active is False


def test_the_rule_form_offers_only_services_of_the_province(client, world, local_apps):
    mine, theirs = local_apps
    client.force_login(world["province_officer"])
    text = page_text(client.get(reverse("catalog:rule_create", args=[world["province"].pk])))
    assert mine.name in text and theirs.name not in text


def test_the_api_lists_national_and_own_province_services_and_requires_login(client, world, local_apps):
    mine, theirs = local_apps
    assert client.get("/api/v1/catalog/services").status_code == 401
    client.force_login(world["member"])
    body = client.get("/api/v1/catalog/services").json()
    codes = [row["code"] for row in body]
    assert codes[0] == "vneid-level2" and mine.code in codes and theirs.code not in codes
    assert {"code", "name", "skill", "skill_label", "description", "province_id", "needs_smartphone", "sort_order"} == set(body[0])
    safety = client.get("/api/v1/catalog/services", {"skill": "online_safety"}).json()
    assert safety and {row["skill"] for row in safety} == {"online_safety"}
    assert client.get("/api/v1/catalog/services", {"skill": "nope"}).json() == []
    assert len(client.get("/api/v1/catalog/services", {"limit": 2, "offset": 1}).json()) == 2
    foreign = client.get("/api/v1/catalog/services", {"province_id": world["other"].pk}).json()
    assert theirs.code not in [row["code"] for row in foreign]
    assert client.get("/api/v1/catalog/services", {"limit": "x"}).status_code == 422
