"""In a real Chromium at 360×740: a province officer adjusts a national rule for the province, and a
member prints a VietQR sign for a business household. No page scrolls sideways."""

import pytest
from playwright.sync_api import expect

from congdongso.accounts.models import Role
from congdongso.catalog.models import MerchantAccount, RecommendationRule
from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.households.models import ConsentMethod, ConsentPurpose, Tag
from congdongso.households.services import consent_record, household_create
from congdongso.testing.browser import fits_width, header, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}


def _no_sideways_scroll(page) -> None:
    assert fits_width(page)


def test_officer_adjusts_a_rule_and_member_prints_a_sign_on_a_small_phone(page, make):
    national_catalogue_ensure()  # a transactional test before this one may have flushed the seed
    page.set_viewport_size(SMALL_PHONE)
    province = make.province(name="Tỉnh Thử Điện Thoại")
    village = make.village(make.commune(province))
    officer = make.user(Role.PROVINCE_OFFICER, province)
    member = make.user(Role.MEMBER, village)
    shop = household_create(village=village, tags=[Tag.BUSINESS], actor_id=None)
    consent_record(
        household=shop, given_by="Chủ hộ", method=ConsentMethod.SIGNED,
        purposes=[ConsentPurpose.DIGITAL_SUPPORT], actor_id=None,
    )

    log_in(page, officer.username)
    page.goto(page.url_for("/catalog/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh mục dịch vụ số")
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Quy tắc gợi ý").click()
    _no_sideways_scroll(page)
    item = page.locator("#rules > li").filter(has_text="Hộ kinh doanh: chưa nhận thanh toán QR")
    item.get_by_role("link", name="Điều chỉnh cho tỉnh").click()
    expect(page.get_by_label("Lý do hiển thị cho thành viên")).to_have_value("Hộ kinh doanh: chưa nhận thanh toán QR")
    _no_sideways_scroll(page)
    page.get_by_label("Lý do hiển thị cho thành viên").fill("Tiểu thương chợ: in biển QR trước Tết")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm quy tắc gợi ý của tỉnh.")
    expect(page.locator("#rules")).to_contain_text("Tỉnh đã thay bằng quy tắc riêng")
    assert RecommendationRule.objects.get(province=province).reason == "Tiểu thương chợ: in biển QR trước Tết"
    header(page).get_by_role("button", name="Đăng xuất").click()

    log_in(page, member.username)
    page.goto(page.url_for(f"/catalog/vietqr/{shop.pk}/"))
    _no_sideways_scroll(page)
    page.locator("#id_bank").select_option("agribank")
    page.get_by_label("Số tài khoản nhận tiền").fill("5100 2051 23456")
    page.get_by_label("Tên chủ tài khoản (như trên ngân hàng)").fill("Lò Thị Mai")
    page.get_by_label("Tên cửa hàng (in to trên biển)").fill("Quán bún Mai")
    page.get_by_role("button", name="Tạo biển").click()
    sign = page.locator("#sign-preview svg")
    expect(sign).to_be_visible()
    expect(sign).to_contain_text("5100 2051 2345 6")
    expect(sign).to_contain_text("LÒ THỊ MAI")
    box = sign.bounding_box()
    assert box["width"] <= 360 and box["height"] > box["width"]  # portrait A5, fits the phone
    _no_sideways_scroll(page)
    assert MerchantAccount.objects.count() == 0
