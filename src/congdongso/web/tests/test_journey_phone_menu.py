"""The header on a phone: the links fold behind one menu button, the member's worklist comes first, and
the page never sticks out sideways; on a wide screen the links show as a row with no button — in a
real Chromium."""

import pytest
from playwright.sync_api import expect

from congdongso.accounts.models import Role
from congdongso.testing.browser import fits_width, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def member(make):
    village = make.village(make.commune(make.province()), name="Thôn Đồng Tâm")
    return make.user(Role.MEMBER, village)


def test_on_a_phone_the_links_open_from_the_menu_button(page, member):
    page.set_viewport_size(PHONE_360)
    log_in(page, member.username)
    menu = page.get_by_role("button", name="☰ Menu")
    worklist = page.locator("#site-nav").get_by_role("link", name="Hộ cần hỗ trợ")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(worklist).to_be_hidden()
    assert fits_width(page)

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(worklist).to_be_visible()
    first = page.locator("#site-nav > a").first
    expect(first).to_have_text("Hộ cần hỗ trợ")
    assert fits_width(page)

    worklist.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộ cần hỗ trợ")
    expect(page.locator("#site-nav").get_by_role("link", name="Hẹn quay lại")).to_be_hidden()  # folded again


def test_on_a_wide_screen_the_links_show_without_a_button(page, member):
    page.set_viewport_size(DESKTOP)
    log_in(page, member.username)
    expect(page.get_by_role("button", name="☰ Menu")).to_be_hidden()
    expect(page.locator("#site-nav").get_by_role("link", name="Hộ gia đình")).to_be_visible()
