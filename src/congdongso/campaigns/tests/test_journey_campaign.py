"""In a real Chromium: a province officer launches a campaign and sets a commune's target; a member,
on a 360 px phone, records help in two taps with the campaign preselected; the officer sees the
commune's progress bar move, drills down to the village and opens the leaderboard."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from congdongso.campaigns.models import Campaign
from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.outreach.models import Assist
from congdongso.outreach.tests.builders import make_household
from congdongso.testing.browser import fits_width, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}


def test_launch_tag_on_the_phone_and_watch_progress(browser, live_server, land):
    national_catalogue_ensure()  # a transactional test starts from a flushed database
    home, (person,) = make_household(land["a1"], head="Trần Văn Ba", residents=[("Trần Văn Ba", 1982, "smartphone")])
    today = timezone.localdate()

    officer = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    officer.set_default_timeout(8_000)
    desk = officer.new_page()
    desk.url_for = lambda path: live_server.url + path
    log_in(desk, land["province_officer"].username)
    desk.locator("nav").get_by_role("link", name="Chiến dịch").click()
    desk.get_by_role("link", name=f"Phát động chiến dịch tại {land['province'].name}").click()
    desk.locator("#id_name").fill("Ra quân VNeID mức 2")
    desk.locator("#id_starts_on").fill((today - dt.timedelta(days=1)).isoformat())
    desk.locator("#id_ends_on").fill((today + dt.timedelta(days=30)).isoformat())
    desk.locator("#id_service").select_option(label="Định danh điện tử mức 2 (VNeID)")
    desk.get_by_role("button", name="Lưu").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Ra quân VNeID mức 2")
    campaign = Campaign.objects.get()
    desk.locator(f'input[name="target-{land["a"].pk}"]').fill("2")
    desk.get_by_role("button", name="Lưu chỉ tiêu").click()
    expect(desk.locator(".messages")).to_contain_text("Đã lưu chỉ tiêu (1 thay đổi).")
    row = desk.locator(f'#progress tr[data-unit="{land["a"].pk}"]')
    expect(row.locator("td[data-count]")).to_have_text("0")

    member = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE_360)
    member.set_default_timeout(8_000)
    phone = member.new_page()
    phone.url_for = lambda path: live_server.url + path
    log_in(phone, land["members"]["a1"].username)
    phone.goto(phone.url_for(f"/outreach/visit/{home.pk}/"))
    pick = phone.locator("#campaign-pick")
    expect(pick).to_contain_text("Ra quân VNeID mức 2")
    expect(pick.get_by_label("Ra quân VNeID mức 2")).to_be_checked()
    assert fits_width(phone)
    phone.locator('#recommendations .pick[data-service="vneid-level2"]').first.click()
    phone.get_by_role("button", name="Đã xong — tự dùng được").click()
    expect(phone.locator(".messages")).to_contain_text("Đã lưu")
    assist = Assist.objects.get()
    assert (assist.campaign_id, assist.services, assist.resident_id) == (campaign.pk, ["vneid-level2"], person.pk)

    desk.reload()
    expect(row.locator("td[data-count]")).to_have_text("1")
    expect(row.locator("progress")).to_have_attribute("value", "50")
    expect(desk.locator("#total [data-count]")).to_have_attribute("data-count", "1")
    row.get_by_role("link", name=land["a"].name).click()
    expect(desk.locator(f'#progress tr[data-unit="{land["a1"].pk}"] td[data-count]')).to_have_text("1")
    desk.get_by_role("link", name="Bảng xếp hạng").click()
    expect(desk.locator("#leaderboard tbody tr").first).to_contain_text(land["a1"].name)

    # The member's phone shows the campaign's progress of their village, and it fits.
    phone.goto(phone.url_for(f"/campaigns/{campaign.pk}/"))
    expect(phone.locator("#total [data-count]")).to_have_attribute("data-count", "1")
    assert fits_width(phone)
    officer.close()
    member.close()
