"""A member, on a 360 px phone, adds a household counts-first, records consent, enters details and a
resident, then withdraws consent: in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from congdongso.households.models import Household
from congdongso.testing.browser import fits_width, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}


def _fits(page) -> None:
    assert fits_width(page), page.url


def test_member_adds_a_household_with_consent_then_it_is_withdrawn(page, world):
    page.set_viewport_size(SMALL_PHONE)
    log_in(page, world["member"].username)
    page.goto(page.url_for("/households/"))
    expect(page.get_by_text("Chưa có hộ nào trong phạm vi của bạn.")).to_be_visible()
    _fits(page)

    page.get_by_role("link", name="+ Thêm hộ").click()
    expect(page.get_by_text("Không bao giờ ghi mật khẩu, mã OTP, ảnh hay số CCCD của người dân.")).to_be_visible()
    page.get_by_label("Thôn/tổ dân phố").select_option(label="Thôn Đông, Xã An Bình")
    page.get_by_label("Số nhân khẩu").fill("3")
    page.get_by_label("Hộ kinh doanh/tiểu thương").check()
    _fits(page)
    page.get_by_role("button", name="Lưu và ghi nhận đồng ý").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi nhận đồng ý cung cấp thông tin")
    expect(page.locator("#notice")).to_contain_text("Chúng tôi không bao giờ ghi")
    for box in page.locator("form input[type=checkbox], form input[type=radio]").all():
        expect(box).not_to_be_checked()
    _fits(page)
    page.get_by_label("Người đồng ý").fill("Bà Trần Thị Lan")
    page.get_by_label("Đồng ý bằng lời").check()
    page.get_by_label("Hỗ trợ sử dụng dịch vụ số").check()
    page.get_by_label("Tôi đã đọc hoặc giải thích thông báo").check()
    page.get_by_role("button", name="Ghi nhận đồng ý").click()

    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận đồng ý.")
    page.get_by_label("Tên chủ hộ").fill("Trần Thị Lan")
    page.get_by_label("Số điện thoại của hộ").fill("OTP 123456")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".field.invalid")).to_contain_text("Không được ghi mật khẩu, mã OTP")
    page.get_by_label("Số điện thoại của hộ").fill("0912.345.678")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Trần Thị Lan")
    expect(page.locator("dl.facts")).to_contain_text("0912 345 678")
    _fits(page)
    page.get_by_role("link", name="+ Thêm nhân khẩu").click()
    page.get_by_label("Tên gọi").fill("Trần Thị Lan")
    page.get_by_label("Năm sinh").fill("1958")
    page.get_by_label("Nữ").check()
    page.get_by_label("Điện thoại phổ thông").check()
    _fits(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#residents")).to_contain_text("sinh năm 1958")

    page.get_by_role("link", name="Rút lại đồng ý").click()
    page.wait_for_url("**/consent/withdraw/")
    _fits(page)
    page.get_by_label(re.compile("Người dân đã yêu cầu rút lại đồng ý")).check()
    page.get_by_role("button", name="Rút lại đồng ý và xóa thông tin").click()
    expect(page.locator(".messages")).to_contain_text("Đã rút lại đồng ý")
    expect(page.locator("main")).not_to_contain_text("Trần Thị Lan")
    household = Household.objects.get()
    assert (household.head_name, household.resident_count, household.is_business) == ("", 3, True)
