"""Unclear input in every household form gets a Vietnamese error, never a 500, and writes nothing.
Credentials and ID numbers are refused in every text box."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdongso.households.models import Household, Resident
from congdongso.households.services import household_create
from congdongso.households.tests.conftest import assert_refused_here, consented_household
from congdongso.testing.forms import LONG, NUL, SCRIPT, page_text

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Có ký tự không hợp lệ (ký tự NUL)."
ID_MESSAGE = "Không được ghi số CCCD"
SECRET_MESSAGE = "Không được ghi mật khẩu, mã OTP"
PHONE_MESSAGE = "Số điện thoại không hợp lệ (ví dụ 0912 345 678)."
HYPOTHESIS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def member(client, world):
    client.force_login(world["member"])
    return client


@pytest.fixture
def household(world):
    return consented_household(world["village_a"])


def _ids(cases):
    return [f"{next(iter(data))}={next(iter(data.values()))!r:.20}" for data, _ in cases]


CREATE_CASES = [
    ({"village": ""}, "Cần chọn thôn/tổ dân phố."),
    ({"village": "abc"}, "Lựa chọn không hợp lệ."),
    ({"village": "9" * 40}, "Lựa chọn không hợp lệ."),
    ({"village": "-1"}, "Lựa chọn không hợp lệ."),
    ({"village": "1\x00"}, "Lựa chọn không hợp lệ."),
    ({"resident_count": ""}, "Cần nhập số nhân khẩu."),
    ({"resident_count": "bốn"}, "Số nhân khẩu phải là một số"),
    ({"resident_count": "-1"}, "Số nhân khẩu phải từ 0 đến 99."),
    ({"resident_count": "100"}, "Số nhân khẩu phải từ 0 đến 99."),
    ({"resident_count": "9" * 5000}, "Số nhân khẩu phải là một số"),
    ({"resident_count": "2.5"}, "Số nhân khẩu phải là một số"),
    ({"tags": ["castle"]}, "Đặc điểm hộ không hợp lệ."),
    ({"tags": [SCRIPT]}, "Đặc điểm hộ không hợp lệ."),
]


@pytest.mark.parametrize(("change", "expected"), CREATE_CASES, ids=_ids(CREATE_CASES))
def test_household_create_refuses(member, world, change, expected):
    data = {"village": world["village_a"].pk, "resident_count": "3", "tags": ["elderly"], **change}
    text = assert_refused_here(member, reverse("households:create"), data, expected)
    assert "Không bao giờ ghi mật khẩu, mã OTP, ảnh hay số CCCD của người dân." in text


def test_an_empty_post_is_refused_not_shown_as_a_blank_form(member, world, household):
    assert_refused_here(member, reverse("households:create"), {}, "Cần chọn thôn/tổ dân phố.")
    assert_refused_here(member, reverse("households:details", args=[household.pk]), {}, "Cần nhập tên chủ hộ.")
    assert_refused_here(member, reverse("households:resident_add", args=[household.pk]), {}, "Cần chọn loại điện thoại")
    assert_refused_here(member, reverse("households:consent", args=[household.pk]), {}, "Hộ này đã có bản đồng ý")
    assert_refused_here(member, reverse("households:profile", args=[household.pk]), {}, "Cần nhập số nhân khẩu.")


DETAILS_OK = {"head_name": "Nguyễn Văn An", "address_line": "Số 12, ngõ 34", "phone": "0912 345 678"}
DETAILS_CASES = [
    ({"head_name": ""}, "Cần nhập tên chủ hộ."),
    ({"head_name": " \t "}, "Cần nhập tên chủ hộ."),
    ({"head_name": LONG}, "Tối đa 150 ký tự."),
    ({"head_name": NUL}, NUL_MESSAGE),
    ({"head_name": "Nguyễn Văn An 001099012345"}, ID_MESSAGE),
    ({"head_name": "An (OTP 123456)"}, SECRET_MESSAGE),
    ({"address_line": "Số 5, mật khẩu VNeID: an1970"}, SECRET_MESSAGE),
    ({"address_line": "CCCD 001 099 012 345"}, ID_MESSAGE),
    ({"address_line": LONG}, "Tối đa 200 ký tự."),
    ({"phone": "12345"}, PHONE_MESSAGE),
    ({"phone": "gọi 0912 345 678 nhé"}, PHONE_MESSAGE),
    ({"phone": "001099012345"}, (ID_MESSAGE, PHONE_MESSAGE)),
    ({"phone": LONG}, PHONE_MESSAGE),
    ({"phone": "0912\x00345678"}, NUL_MESSAGE),
]


@pytest.mark.parametrize(("change", "expected"), DETAILS_CASES, ids=_ids(DETAILS_CASES))
def test_household_details_refuse(member, household, change, expected):
    assert_refused_here(member, reverse("households:details", args=[household.pk]), {**DETAILS_OK, **change}, expected)


RESIDENT_OK = {"display_name": "Lê Thị Hoa", "birth_year": "1960", "sex": "female", "phone": "", "device": "smartphone"}
RESIDENT_CASES = [
    ({"display_name": "Hoa mk: hoa1960"}, SECRET_MESSAGE),
    ({"display_name": "Hoa 079160001234"}, ID_MESSAGE),
    ({"display_name": NUL}, NUL_MESSAGE),
    ({"display_name": LONG}, "Tối đa 150 ký tự."),
    ({"birth_year": "năm 60"}, "Năm sinh phải là một số, ví dụ 1965."),
    ({"birth_year": "1899"}, "Năm sinh phải từ 1900 đến"),
    ({"birth_year": "3000"}, "Năm sinh phải từ 1900 đến"),
    ({"birth_year": "9" * 5000}, "Năm sinh phải là một số"),
    ({"birth_year": "\x00"}, "Năm sinh phải là một số"),
    ({"sex": "robot"}, "Lựa chọn không hợp lệ."),
    ({"sex": ""}, "Cần chọn giới tính"),
    ({"device": "tablet"}, "Lựa chọn không hợp lệ."),
    ({"device": ""}, "Cần chọn loại điện thoại"),
    ({"phone": "0912"}, PHONE_MESSAGE),
]


@pytest.mark.parametrize(("change", "expected"), RESIDENT_CASES, ids=_ids(RESIDENT_CASES))
def test_resident_form_refuses(member, household, change, expected):
    url = reverse("households:resident_add", args=[household.pk])
    assert_refused_here(member, url, {**RESIDENT_OK, **change}, expected)
    url = reverse("households:resident_edit", args=[household.residents.get().pk])
    assert_refused_here(member, url, {**RESIDENT_OK, **change}, expected)


def test_resident_edit_saves_and_the_count_never_drops_below_the_list(member, household):
    resident = household.residents.get()
    response = member.post(reverse("households:resident_edit", args=[resident.pk]), {**RESIDENT_OK, "phone": "0987654321"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.display_name, resident.search_name, resident.birth_year, resident.phone) == (
        "Lê Thị Hoa", "le thi hoa", 1960, "+84987654321"
    )
    url = reverse("households:profile", args=[household.pk])
    assert_refused_here(member, url, {"resident_count": "0"}, "Hộ đã có 1 nhân khẩu trong danh sách")
    assert member.post(url, {"resident_count": "5", "tags": ["poor", "disability"]}).status_code == 302
    household.refresh_from_db()
    assert (household.resident_count, household.tags) == (5, {"poor", "disability"})


@HYPOTHESIS
@given(head_name=st.text(max_size=200), address=st.text(max_size=220), phone=st.text(max_size=45))
def test_any_details_input_is_saved_or_refused_never_a_500(member, household, head_name, address, phone):
    response = member.post(
        reverse("households:details", args=[household.pk]), {"head_name": head_name, "address_line": address, "phone": phone}
    )
    assert response.status_code in (200, 302)
    stored = Household.objects.get(pk=household.pk)
    assert "\x00" not in stored.head_name + stored.address_line
    if response.status_code == 200:
        assert "This field" not in page_text(response)


@HYPOTHESIS
@given(name=st.text(max_size=200), year=st.text(max_size=8), sex=st.text(max_size=12), device=st.text(max_size=15))
def test_any_resident_input_is_saved_or_refused_never_a_500(member, household, name, year, sex, device):
    before = Resident.objects.count()
    response = member.post(
        reverse("households:resident_add", args=[household.pk]),
        {"display_name": name, "birth_year": year, "sex": sex, "device": device, "phone": ""},
    )
    assert response.status_code in (200, 302)
    assert Resident.objects.count() == before + (response.status_code == 302)


@HYPOTHESIS
@given(count=st.text(max_size=10), village=st.text(max_size=12), tags=st.lists(st.text(max_size=12), max_size=3))
def test_any_create_input_is_saved_or_refused_never_a_500(member, world, count, village, tags):
    response = member.post(reverse("households:create"), {"resident_count": count, "village": village, "tags": tags})
    assert response.status_code in (200, 302)


def test_markup_is_echoed_escaped(member, world):
    household = household_create(village=world["village_a"], actor_id=None)
    url = reverse("households:consent", args=[household.pk])
    response = member.post(url, {"given_by": SCRIPT, "method": "spoken"})
    assert response.status_code == 200 and "<script>alert(1)" not in response.content.decode()
