"""The household page shows its tags, counts, consent and each resident's five skills."""

import re

import pytest
from django.urls import reverse

from congdongso.households.registry import skill_names
from congdongso.households.services import household_state_set
from congdongso.households.tests.conftest import consented_household
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db


def test_the_five_skill_names_are_registered_by_the_catalog():
    codes = [code for code, _label in skill_names()]
    assert codes == ["public_services", "online_shopping", "online_payment", "online_safety", "local_platform"]


def test_each_residents_skills_are_named_and_the_nucleus_shows(client, world):
    household = consented_household(
        world["village_a"], head_name="Hoàng Văn Tư", residents=("Hoàng Văn Tư", "Hoàng Thị Năm"), tags=("business",)
    )
    tu, nam = household.residents.order_by("created_at")
    household_state_set(
        household_id=household.pk,
        residents_skills={tu.pk: {"online_payment", "online_safety"}, nam.pk: {code for code, _ in skill_names()}},
    )
    client.force_login(world["member"])
    text = page_text(client.get(reverse("households:detail", args=[household.pk])))
    assert "Hộ kinh doanh/tiểu thương" in text and "Có hạt nhân số" in text
    assert "sinh năm 1970" in text  # a year, not "1.970"
    first, second = text.split('<li>\n    <strong>')[1:3]
    assert "Hoàng Văn Tư" in first and "Đã thành thạo 2/5 kỹ năng" in first
    assert re.findall(r'<li class="has">([^<]+)</li>', first) == ["Thanh toán trực tuyến", "Bảo vệ bản thân trên môi trường mạng"]
    assert "Hoàng Thị Năm" in second and "Thành thạo 5 kỹ năng số cơ bản" in second
    assert len(re.findall(r'<li class="has">', second)) == 5


def test_a_counts_only_household_page_names_no_one_and_offers_consent(client, world, make):
    from congdongso.households.services import household_create

    household = household_create(village=world["village_a"], tags=("elderly",), resident_count=4, actor_id=None)
    client.force_login(world["member"])
    text = page_text(client.get(reverse("households:detail", args=[household.pk])))
    assert f"Hộ mã {household.short_code}" in text and "Có người cao tuổi" in text
    assert "Ghi nhận đồng ý" in text and "Sửa tên, địa chỉ, điện thoại" not in text
    assert re.search(r'id="resident-count">4<', text)
