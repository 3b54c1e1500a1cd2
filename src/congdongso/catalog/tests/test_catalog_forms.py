"""Garbage in the catalogue forms gets a Vietnamese error, re-renders the form, writes nothing."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdongso.catalog.models import RecommendationRule, Service
from congdongso.catalog.services import service_create
from congdongso.testing import forms as form_helpers
from congdongso.testing.forms import LONG, NUL, SCRIPT, assert_refused

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Có ký tự không hợp lệ (ký tự NUL)."
HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True)
def _catalog_tables_count_too(monkeypatch):
    monkeypatch.setattr(form_helpers, "PROJECT_APPS", (*form_helpers.PROJECT_APPS, "catalog", "households"))


@pytest.fixture
def officer(client, world):
    client.force_login(world["province_officer"])
    return client


def _ids(cases):
    return [f"{next(iter(data))}={next(iter(data.values()))!r:.24}" for data, _ in cases]


SERVICE_OK = {"code": "hbt-app", "name": "Ứng dụng tỉnh", "skill": "local_platform", "description": ""}
SERVICE_CASES = [
    ({"code": ""}, "Cần nhập mã dịch vụ."),
    ({"code": "   "}, "Cần nhập mã dịch vụ."),
    ({"code": "mã có dấu"}, "Mã dịch vụ chỉ gồm chữ cái không dấu"),
    ({"code": SCRIPT}, "Mã dịch vụ chỉ gồm chữ cái không dấu"),
    ({"code": "<b>x</b>"}, "Mã dịch vụ chỉ gồm chữ cái không dấu"),
    ({"code": LONG}, "Mã dịch vụ tối đa 40 ký tự."),
    ({"code": "a\x00b"}, NUL_MESSAGE),
    ({"code": "VNeID-Level2"}, "không bao giờ được dùng lại"),
    ({"name": ""}, "Cần nhập tên dịch vụ."),
    ({"name": " \t\n "}, "Cần nhập tên dịch vụ."),
    ({"name": LONG}, "Tên dịch vụ quá dài."),
    ({"name": NUL}, NUL_MESSAGE),
    ({"skill": "castle"}, "Lựa chọn không hợp lệ."),
    ({"skill": ""}, "Trường này không được để trống."),
    ({"description": LONG}, "Mô tả tối đa 300 ký tự."),
]


@pytest.mark.parametrize(("change", "expected"), SERVICE_CASES, ids=_ids(SERVICE_CASES))
def test_service_form_refuses(officer, world, change, expected):
    url = reverse("catalog:service_create", args=[world["province"].pk])
    assert_refused(officer, url, {**SERVICE_OK, **change}, expected)


def test_a_retired_province_code_cannot_come_back(officer, world):
    old = service_create(code="hbt-cu", name="Cũ", skill="local_platform", province=world["province"], actor_id=None)
    Service.objects.filter(pk=old.pk).update(is_active=False)
    url = reverse("catalog:service_create", args=[world["province"].pk])
    assert_refused(officer, url, {**SERVICE_OK, "code": "hbt-cu"}, "không bao giờ được dùng lại")


def test_service_edit_refuses_an_empty_name(officer, world):
    mine = service_create(code="hbt-x", name="X", skill="local_platform", province=world["province"], actor_id=None)
    url = reverse("catalog:service_edit", args=[mine.pk])
    assert_refused(officer, url, {"name": "  ", "is_active": "on"}, "Cần nhập tên dịch vụ.")


RULE_OK = {"reason": "Lý do", "priority": "5", "min_age": "", "max_age": ""}
RULE_CASES = [
    ({"service": ""}, "Cần chọn dịch vụ."),
    ({"service": "abc"}, "Dịch vụ không có trong danh mục của tỉnh."),
    ({"service": "999999999"}, "Dịch vụ không có trong danh mục của tỉnh."),
    ({"service": "1\x00"}, "Dịch vụ không có trong danh mục của tỉnh."),
    ({"reason": ""}, "Cần nhập lý do hiển thị cho thành viên."),
    ({"reason": "   "}, "Cần nhập lý do hiển thị cho thành viên."),
    ({"reason": LONG}, "Lý do hiển thị tối đa 200 ký tự."),
    ({"reason": NUL}, NUL_MESSAGE),
    ({"tags_any": ["castle"]}, "Lựa chọn không hợp lệ."),
    ({"devices": ["tablet"]}, "Lựa chọn không hợp lệ."),
    ({"devices": ["feature_phone"]}, "cần điện thoại thông minh"),
    ({"min_age": "-1"}, "Giá trị nhỏ nhất là 0."),
    ({"min_age": "mười"}, "Cần nhập một số nguyên."),
    ({"max_age": "500"}, "Giá trị lớn nhất là 120."),
    ({"max_age": "1e9"}, "Cần nhập một số nguyên."),
    ({"min_age": "70", "max_age": "60"}, "Tuổi đến không được nhỏ hơn tuổi từ."),
    ({"priority": ""}, "Trường này không được để trống."),
    ({"priority": "99999"}, "Giá trị lớn nhất là 999."),
    ({"priority": LONG}, "Cần nhập một số nguyên."),
]


@pytest.mark.parametrize(("change", "expected"), RULE_CASES, ids=_ids(RULE_CASES))
def test_rule_form_refuses(officer, world, change, expected):
    vneid = Service.objects.get(code="vneid-level2")
    url = reverse("catalog:rule_create", args=[world["province"].pk])
    assert_refused(officer, url, {**RULE_OK, "service": vneid.pk, **change}, expected)


def test_rule_form_refuses_another_provinces_service(officer, world):
    theirs = service_create(code="xx-app", name="Của tỉnh khác", skill="local_platform", province=world["other"], actor_id=None)
    url = reverse("catalog:rule_create", args=[world["province"].pk])
    assert_refused(officer, url, {**RULE_OK, "service": theirs.pk}, "Dịch vụ không có trong danh mục của tỉnh.")


@HYPOTHESIS
@given(reason=st.text(max_size=300), priority=st.text(max_size=12), age=st.text(max_size=6))
def test_any_rule_input_is_saved_or_refused_never_a_500(officer, world, reason, priority, age):
    vneid = Service.objects.get(code="vneid-level2")
    url = reverse("catalog:rule_create", args=[world["province"].pk])
    before = RecommendationRule.objects.count()
    response = officer.post(url, {"service": vneid.pk, "reason": reason, "priority": priority, "min_age": age})
    assert response.status_code in (200, 302)
    assert RecommendationRule.objects.count() == before + (response.status_code == 302)


@HYPOTHESIS
@given(code=st.text(max_size=60), name=st.text(max_size=250))
def test_any_service_input_is_saved_or_refused_never_a_500(officer, world, code, name):
    url = reverse("catalog:service_create", args=[world["province"].pk])
    before = Service.objects.count()
    response = officer.post(url, {"code": code, "name": name, "skill": "online_safety"})
    assert response.status_code in (200, 302)
    assert Service.objects.count() == before + (response.status_code == 302)
    assert not any("\x00" in value for value in Service.objects.values_list("name", flat=True))
