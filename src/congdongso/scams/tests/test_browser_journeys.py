"""Real Chromium: a resident looks up a number, reports it, hits the rate limit; a member copies an alert."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from congdongso.scams import services
from congdongso.scams.models import Entity, Report, ReportStatus
from congdongso.testing.browser import PHONE, fits_width, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(SCAMS_RATE_LIMITS={"report": (2, 600)})
def test_a_resident_looks_up_reports_and_is_rate_limited(page, world, starter_tactics):
    page.set_viewport_size(PHONE)
    page.goto(page.url_for("/scams/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu lừa đảo")

    box = page.get_by_label("Số điện thoại, trang web, số tài khoản hoặc tài khoản mạng xã hội")
    box.fill("0912.345.678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#result")).to_have_attribute("data-status", "no_reports")
    expect(page.locator("#result")).to_contain_text("Chưa có phản ánh")
    expect(page.locator("#result")).to_contain_text("0912 345 678")

    page.locator("#result").get_by_role("link", name="Phản ánh lừa đảo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh lừa đảo")
    expect(page.get_by_label("Số điện thoại, địa chỉ trang web, số tài khoản hoặc tên tài khoản")).to_have_value("0912.345.678")
    consent = page.get_by_label("Tôi đồng ý để cơ quan chức năng dùng thông tin liên hệ này")
    expect(consent).not_to_be_checked()
    page.get_by_label("Bạn nhận được qua").select_option(label="Cuộc gọi điện thoại")
    page.get_by_label("Thủ đoạn (nếu biết)").select_option(label=starter_tactics["gia-danh-co-quan-chuc-nang"].name)
    page.get_by_label("Tỉnh/thành phố nơi bạn ở (không bắt buộc)").select_option(label="Tỉnh Thử Nghiệm")
    page.get_by_label("Số điện thoại hoặc email để cơ quan chức năng liên hệ lại (không bắt buộc)").fill("0987 000 111")
    page.get_by_role("button", name="Gửi phản ánh").click()
    # Contact without consent: refused in Vietnamese, nothing kept.
    expect(page.locator(".field.invalid")).to_contain_text("Cần đánh dấu đồng ý")
    assert not Report.objects.exists()
    # The honeypot is there but out of sight.
    expect(page.locator("input[name=website_url]")).not_to_be_in_viewport()

    page.get_by_label("Tôi đồng ý để cơ quan chức năng dùng thông tin liên hệ này").check()
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.locator("#report-sent")).to_contain_text("Phản ánh của bạn đã được ghi nhận")
    report = Report.objects.get()
    assert (report.status, report.unit_id, report.contact) == (ReportStatus.PENDING, world["province"].pk, "0987 000 111")

    page.goto(page.url_for("/scams/?q=%2B84912345678"))
    expect(page.locator("#result")).to_have_attribute("data-status", "verifying")
    expect(page.locator("#result")).to_contain_text("1 phản ánh")
    # A reporter's guess of the tactic is not shown publicly until a moderator confirms the report.
    expect(page.locator("#result")).not_to_contain_text(starter_tactics["gia-danh-co-quan-chuc-nang"].name)
    assert fits_width(page)

    # The third post from this browser within ten minutes is over the limit: a Vietnamese 429 page.
    page.goto(page.url_for("/scams/report/"))
    page.get_by_label("Số điện thoại, địa chỉ trang web, số tài khoản hoặc tên tài khoản").fill("0987654321")
    with page.expect_response(lambda r: r.url.endswith("/scams/report/") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Gửi phản ánh").click()
    assert answer.value.status == 429
    expect(page.locator("#rate-limited")).to_contain_text("Vui lòng thử lại sau 10 phút")
    assert Report.objects.count() == 1


def test_the_message_checker_in_the_browser(page, starter_tactics):
    page.goto(page.url_for("/scams/check/"))
    page.get_by_label("Dán nội dung tin nhắn cần kiểm tra").fill(
        "Quy khach vui long cung cap ma OTP cho nhan vien de nhan qua tri an. Lien he 0912345678."
    )
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator("#result")).to_have_attribute("data-verdict", "danger")
    expect(page.locator('[data-kind="tactic"]').first).to_contain_text(starter_tactics["yeu-cau-ma-otp"].name)
    expect(page.locator('[data-kind="tactic"]').filter(has_text="quà tri ân")).to_contain_text("Trong tin nhắn: qua tri an")
    expect(page.locator('[data-kind="phone"]')).to_contain_text("0912 345 678")


def test_a_member_opens_the_alert_copies_the_zalo_text_and_records_reach(page, world):
    world["team"].zalo_link = "https://zalo.me/g/nhomthon"
    world["team"].save()
    today = timezone.localdate()
    services.alert_publish(
        unit=world["province"], title="Cảnh báo cuộc gọi giả danh công an", message="Công an không làm việc qua điện thoại.",
        valid_from=today, valid_until=today + dt.timedelta(days=10), actor=world["province_officer"],
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, world["member"].username)
    page.get_by_role("link", name="Cảnh báo lừa đảo").first.click()
    card = page.locator(".alert-card").first
    expect(card).to_contain_text("Cảnh báo cuộc gọi giả danh công an")
    expect(card.locator("textarea")).to_have_value(
        __import__("re").compile(r"^⚠️ CẢNH BÁO LỪA ĐẢO: Cảnh báo cuộc gọi giả danh công an")
    )
    expect(card.locator("a.zalo-link")).to_have_attribute("href", "https://zalo.me/g/nhomthon")
    page.route("https://zalo.me/**", lambda route: route.abort())  # never leave the machine
    card.get_by_role("button", name="Sao chép và mở nhóm Zalo").click()
    expect(card.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()").startswith("⚠️ CẢNH BÁO LỪA ĐẢO")

    card.get_by_label("Đã nói trực tiếp với số hộ").fill("9")
    card.get_by_role("button", name="Ghi nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận")
    expect(page.locator(".alert-card").first).to_contain_text("9 hộ được thông báo")
    assert Entity.objects.count() == 0
