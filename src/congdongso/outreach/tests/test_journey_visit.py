"""A member, on a 360 px phone, opens the worklist, the neediest household, records help in two taps
and sees the household's skills change — in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.outreach.models import Assist
from congdongso.outreach.tests.builders import give_skills, make_household
from congdongso.testing.browser import fits_width, header, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}


_fits = fits_width


def test_member_records_an_assist_in_two_taps_and_sees_the_skills_change(page, place):
    national_catalogue_ensure()  # a transactional test starts from a flushed database
    from congdongso.catalog.models import Service

    catalogue = {s.code: s for s in Service.objects.all()}
    village = place["village"]
    neediest, (trader,) = make_household(
        village, head="Trần Văn Ba", residents=[("Trần Văn Ba", 1982, "smartphone")], tags={"business"}
    )
    _halfway, (halfway_person,) = make_household(village, head="Đỗ Thị Tư")
    give_skills(halfway_person, catalogue, ["public_services", "online_payment", "online_safety"])
    _done, (nucleus,) = make_household(village, head="Lâm Văn Năm")
    give_skills(nucleus, catalogue, ["public_services", "online_shopping", "online_payment", "online_safety",
                                     "local_platform"])

    page.set_viewport_size(PHONE_360)
    log_in(page, place["member"].username)
    header(page).get_by_role("link", name="Hộ cần hỗ trợ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộ cần hỗ trợ")
    rows = page.locator("#worklist > li")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Trần Văn Ba")
    expect(rows.first).to_contain_text("Chưa có hạt nhân số")
    expect(rows.nth(2)).to_contain_text("Lâm Văn Năm")
    assert _fits(page)

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trần Văn Ba")
    resident_row = page.locator(f'#skills li[data-resident="{trader.pk}"]')
    expect(resident_row.locator('[data-state="independent"]')).to_have_count(0)
    expect(page.locator('[data-status="missing"]')).to_have_text("Thiếu 5/5 kỹ năng")
    assert _fits(page)

    taps = 0
    pick = page.locator(f'#recommendations .pick[data-resident="{trader.pk}"]').first
    skill = pick.get_attribute("data-skill")
    service_code = pick.get_attribute("data-service")
    pick.click()
    taps += 1
    page.get_by_role("button", name="Đã xong — tự dùng được").click()
    taps += 1
    assert taps <= 3

    expect(page.locator(".messages")).to_contain_text(re.compile(r"Đã lưu: .+ — Trần Văn Ba \(\d+ tuổi\) — Đã xong"))
    expect(resident_row.locator(f'[data-skill="{skill}"]')).to_have_attribute("data-state", "independent")
    expect(resident_row.locator("[data-count]")).to_have_text("1/5 kỹ năng")
    expect(page.locator('[data-status="missing"]')).to_have_text("Thiếu 4/5 kỹ năng")
    expect(page.locator("#recent")).to_contain_text("Đã xong (tự dùng được)")
    assert _fits(page)

    assist = Assist.objects.get()
    assert (assist.member_id, assist.household_id, assist.resident_id, assist.services) == (
        place["member"].pk, neediest.pk, trader.pk, [service_code]
    )
    assert assist.id.version == 7  # made by the server, time-ordered

    # Back on the worklist the household has moved down: it now lacks fewer skills than before.
    header(page).get_by_role("link", name="Hộ cần hỗ trợ").click()
    expect(page.locator("#worklist > li").first).to_contain_text("Trần Văn Ba")
    expect(page.locator("#worklist > li").first).to_contain_text("Thiếu 4/5 kỹ năng")
    expect(page.locator("#worklist > li").first).to_contain_text("Hỗ trợ gần nhất")
