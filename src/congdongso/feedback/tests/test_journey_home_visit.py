"""In a real Chromium: a resident asks for a home visit on a 360 px phone, gets a code and sees
"mới"; the commune officer assigns it; the village member finds it on the worklist and records the
assist on the visit screen; the resident's status page shows "đã giải quyết". An officer of another
commune cannot see it, and the status page never shows the contact."""

import re

import pytest
from playwright.sync_api import expect

from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.feedback.models import Report, Status
from congdongso.testing.browser import fits_width, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}


fits = fits_width


def fresh_page(browser, live_server):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE_360)
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.url_for = lambda path: live_server.url + path
    return page


def test_a_home_visit_request_goes_round_the_loop(page, browser, live_server, world):
    from congdongso.households.services import resident_add

    national_catalogue_ensure()  # a transactional test starts from a flushed database
    resident_add(household=world["household"], display_name="Trần Thị Lan", birth_year=1956, device="smartphone", actor_id=None)

    # The resident, no login, on a small phone.
    page.set_viewport_size(PHONE_360)
    page.goto(page.url_for("/feedback/"))
    page.get_by_label("Đề nghị hỗ trợ tại nhà").check()
    page.locator("#id_place_query").fill("thon dong")  # no diacritics; places appear as she types
    place = page.get_by_label(re.compile(r"Thôn Đông, Xã An Bình"))
    expect(place).to_be_visible()
    place.check()
    page.locator("#id_text").fill("Mẹ tôi 70 tuổi cần cài VNeID và Sổ sức khỏe điện tử, nhờ tổ đến nhà giúp.")
    page.locator("#id_contact_name").fill("Trần Thị Lan")
    page.locator("#id_contact_phone").fill("0912 345 678")
    expect(page.locator("#id_contact_consent")).not_to_be_checked()
    page.locator("#id_contact_consent").check()
    assert fits(page)
    page.get_by_role("button", name="Gửi phản ánh").click()
    code = page.locator("#code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code)
    expect(page.locator(".messages")).to_contain_text(code)
    expect(page.locator("#status")).to_have_text("Mới")
    assert fits(page)
    status_url = page.url
    report = Report.objects.get(code=code)
    assert report.commune == world["a"] and report.contact_phone == "+84912345678"

    # The commune officer assigns it to the village member, on the household she recognises.
    officer = fresh_page(browser, live_server)
    log_in(officer, world["officer_a"].username)
    officer.goto(officer.url_for("/feedback/inbox/"))
    officer.get_by_role("link", name=code).click()
    expect(officer.locator("#contact")).to_contain_text("0912 345 678")
    officer.get_by_label("Giao cho").select_option(label="Lê Văn Tâm — Tổ CNSCĐ Thôn Đông")
    officer.get_by_label("Hộ gia đình (nếu đã biết)").select_option(label="Trần Thị Lan — Số 5, ngõ 2")
    officer.get_by_role("button", name="Phân công").click()
    expect(officer.locator("#status")).to_have_text("Đã phân công")
    expect(officer.locator("#assignee")).to_contain_text(str(world["member_user"]))
    assert fits(officer)

    # The village member sees it on the worklist and the follow-ups, and records the visit.
    member = fresh_page(browser, live_server)
    log_in(member, world["member_user"].username)
    member.goto(member.url_for("/outreach/"))
    expect(member.locator("#worklist")).to_contain_text("Trần Thị Lan")
    member.goto(member.url_for("/outreach/follow-ups/"))
    request_row = member.locator("#follow-ups > li", has_text=code)
    expect(request_row).to_contain_text("Đề nghị hỗ trợ tại nhà")
    request_row.get_by_role("link", name="Trần Thị Lan").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Trần Thị Lan")
    member.locator("#recommendations .pick").first.click()
    member.get_by_role("button", name="Đã hướng dẫn").click()
    expect(member.locator(".messages")).to_contain_text("Đã lưu")
    assert fits(member)

    # Back on her phone, the resident sees it resolved — and nothing personal.
    page.goto(status_url)
    status = page.locator("#status").inner_text()
    assert status.casefold() == "đã giải quyết"
    expect(page.locator("#timeline")).to_contain_text("Tổ công nghệ số cộng đồng đã đến hỗ trợ tại nhà.")
    body = page.locator("body").inner_text()
    for private in ("Trần Thị Lan", "0912", "+8491", "VNeID", "Lê Văn Tâm"):
        assert private not in body, private
    report.refresh_from_db()
    assert report.status == Status.RESOLVED

    # An officer of another commune can neither see nor guess it.
    other = fresh_page(browser, live_server)
    log_in(other, world["officer_b"].username)
    other.goto(other.url_for("/feedback/inbox/"))
    expect(other.locator("main")).not_to_contain_text(code)
    for report_id in (report.pk, report.pk + 1, report.pk - 1):
        response = other.goto(other.url_for(f"/feedback/reports/{report_id}/"))
        assert response.status == 404
    for extra in (officer, member, other):
        extra.context.close()


def test_without_javascript_the_place_is_found_in_two_steps(browser, live_server, world):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False, viewport=PHONE_360)
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/feedback/")
        page.get_by_label("Sóng điện thoại, Internet").check()
        page.locator("#id_place_query").fill("an binh")
        page.locator("#id_text").fill("Khu chợ mất sóng 4G vào buổi chiều.")
        page.get_by_role("button", name="Tìm").click()
        expect(page.locator("#id_text")).to_have_value("Khu chợ mất sóng 4G vào buổi chiều.")
        page.get_by_label(re.compile(r"^\s*Xã An Bình")).check()
        page.get_by_role("button", name="Gửi phản ánh").click()
        expect(page.locator("#status")).to_have_text("Mới")
        assert Report.objects.get().commune == world["a"]
    finally:
        context.close()
