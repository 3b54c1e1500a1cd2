"""A record made offline that the server refuses (a note with an OTP in it) is shown to the member
in Vietnamese with what it was about, leaves the outbox, is never sent again, and can be dismissed."""

import json

import pytest
from playwright.sync_api import expect

from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.outreach.models import Assist
from congdongso.outreach.tests.builders import make_household
from congdongso.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_record_is_explained_and_not_resent(page, place):
    national_catalogue_ensure()
    household, _people = make_household(place["village"], head="Trần Văn Ba")
    log_in(page, place["member"].username)
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'")

    page.context.set_offline(True)
    page.goto(page.url_for(f"/outreach/visit/{household.pk}/"))  # never opened online: drawn on the phone
    expect(page.get_by_role("heading", level=1)).to_have_text("Trần Văn Ba")
    page.locator("select[name=service]").select_option("vneid-level2")
    page.locator("textarea[name=note]").fill("bà đọc mã OTP 123456 cho em")
    page.get_by_role("button", name="Đã hướng dẫn").click()
    expect(page.locator("#sync-status")).to_have_text("1 bản ghi chờ đồng bộ")

    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    problem = page.locator("#sync-problems li")
    expect(problem).to_have_count(1)
    expect(problem).to_have_attribute("data-status", "rejected")
    expect(problem).to_contain_text("Trần Văn Ba — Định danh điện tử mức 2 (VNeID) — Đã hướng dẫn")
    expect(problem).to_contain_text("Không được ghi mật khẩu, mã OTP")
    assert Assist.objects.count() == 0

    sent: list[dict] = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/api/v1/sync") else None)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/sync")):
        page.get_by_role("button", name="Đồng bộ ngay").click()
    assert sent and all(body["events"] == [] for body in sent)

    problem.get_by_role("button", name="Đã hiểu").click()
    expect(page.locator("#sync-problems")).to_be_hidden()
    page.reload()
    expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    expect(page.locator("#sync-problems")).to_be_hidden()
