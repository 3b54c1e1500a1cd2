"""A province officer, in a real Chromium, opens the province dashboard, drills down to a commune and a
village through the children tables, then downloads the province's XLSX report; the file's figures
are checked against the database. The dashboard fits a 360 px phone."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from congdongso.households.models import Household
from congdongso.indicators.models import Indicator
from congdongso.indicators.reports import last_complete_month
from congdongso.indicators.tests.report_helpers import sheet_table
from congdongso.testing.browser import fits_width, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}


def test_officer_drills_down_then_downloads_the_province_report(page, report_world, tmp_path):
    w = report_world
    log_in(page, w["officer"].username)
    page.goto(page.url_for(f"/indicators/units/{w['province'].pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu Tỉnh Thử Nghiệm")

    page.locator("#children").get_by_role("link", name="Xã An Bình").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu Xã An Bình")
    expect(page.locator(f'#children tr[data-unit="{w["dong"].pk}"]')).to_contain_text("Thôn Đông")
    page.locator("#children").get_by_role("link", name="Thôn Đông").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu Thôn Đông")
    assert page.url.endswith(f"/indicators/units/{w['dong'].pk}/")

    page.locator(".breadcrumb").get_by_role("link", name="Tỉnh Thử Nghiệm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu Tỉnh Thử Nghiệm")
    page.get_by_role("link", name="Báo cáo định kỳ (Excel, CSV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo định kỳ: Tỉnh Thử Nghiệm")
    expect(page.get_by_label("Theo tháng")).to_be_checked()
    page.get_by_label("Excel (.xlsx)").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải báo cáo").click()
    download = info.value
    month = last_complete_month().code
    assert download.suggested_filename == f"bao-cao-{w['province'].code}-{month}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    book = load_workbook(path)
    assert book.sheetnames == ["Tỉnh, thành phố", "Xã, phường, đặc khu", "Thôn, tổ dân phố"]
    communes = sheet_table(book["Xã, phường, đặc khu"])
    households = Indicator.objects.get(code="households").name
    for commune in (w["a"], w["b"]):
        assert communes[commune.code][households] == Household.objects.filter(village__path__prefix=commune.path).count()
    assert communes[w["a"].code][households] == 5
    assert re.search(r"tháng \d\d/\d{4}", book["Tỉnh, thành phố"]["A1"].value)


def test_the_dashboard_and_the_report_page_fit_a_small_phone(page, report_world):
    w = report_world
    page.set_viewport_size(SMALL_PHONE)
    log_in(page, w["officer"].username)
    for path in (f"/indicators/units/{w['province'].pk}/", f"/indicators/units/{w['a'].pk}/",
                 f"/indicators/units/{w['province'].pk}/report/"):
        page.goto(page.url_for(path))
        assert fits_width(page), path
