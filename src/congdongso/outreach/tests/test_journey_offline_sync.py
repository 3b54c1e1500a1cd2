"""Issue 4's acceptance, in a real Chromium on a phone-sized screen: a member loads the worklist, the
network goes, the page still opens, three assists are recorded offline, the network comes back and
they reach the server exactly once; the same batch again answers duplicate ×3, and the same id with
another outcome answers conflict, kept for the commune officer's review page."""

import json
import re
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congdongso.accounts.models import Role
from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.outreach.models import Assist, SyncConflict
from congdongso.outreach.tests.builders import make_household
from congdongso.testing.browser import fits_width, header, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}
PEOPLE = ["Trần Văn Ba", "Đỗ Thị Tư", "Lâm Văn Năm"]


def _sync_bodies(page) -> list[dict]:
    bodies: list[dict] = []

    def seen(request):
        if request.method == "POST" and request.url.endswith("/api/v1/sync"):
            bodies.append(json.loads(request.post_data))

    page.on("request", seen)
    return bodies


def _post_sync(page, body: dict) -> dict:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        page.url_for("/api/v1/sync"), data=json.dumps(body),
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    assert response.status == 200, response.text()
    return response.json()


def test_a_morning_offline_arrives_exactly_once(page, place, live_server, make):
    # Service workers need a secure context: http://localhost and http://127.0.0.1 are.
    assert urlparse(live_server.url).hostname in {"localhost", "127.0.0.1"}
    national_catalogue_ensure()  # a transactional test starts from a flushed database
    village, member = place["village"], place["member"]
    households = {
        name: make_household(village, head=name, residents=[(name, 1970 + n, "smartphone")])
        for n, name in enumerate(PEOPLE)
    }

    page.set_viewport_size(PHONE_360)
    log_in(page, member.username)
    expect(page.locator("#worklist > li")).to_have_count(3)
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'")
    sent = _sync_bodies(page)

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("[data-offline-note]")).to_contain_text("Đang ngoại tuyến")
    expect(page.locator("#worklist > li")).to_have_count(3)
    assert fits_width(page)

    for n, name in enumerate(PEOPLE):
        page.locator("#worklist > li", has_text=name).get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        page.locator("select[name=service]").select_option("vneid-level2")
        (_household, (person,)) = households[name]
        page.locator("select[name=resident]").select_option(str(person.pk))
        page.get_by_role("button", name="Đã hướng dẫn").click()
        expect(page.locator(".messages")).to_contain_text(
            re.compile(rf"Đã lưu trên máy: Định danh điện tử mức 2 \(VNeID\) — {name} \(\d+ tuổi\) — Đã hướng dẫn")
        )
        expect(page.locator("#recent li.pending")).to_have_count(1)
        expect(page.locator("#sync-status")).to_have_text(f"{n + 1} bản ghi chờ đồng bộ")
        assert fits_width(page)
        page.get_by_role("link", name="‹ Hộ cần hỗ trợ").click()
        expect(page.locator("#worklist > li", has_text=name).locator(".badge.pending")).to_be_visible()

    expect(page.locator("#sync-status")).to_have_text("3 bản ghi chờ đồng bộ")
    assert Assist.objects.count() == 0 and sent == []

    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    expect(page.locator("#sync-status")).to_have_text("Không còn bản ghi chờ đồng bộ")
    assists = list(Assist.objects.order_by("id"))
    assert len(assists) == 3
    assert {a.household_id for a in assists} == {h.pk for h, _people in households.values()}
    assert {(a.member_id, tuple(a.services), a.outcome, a.independent) for a in assists} == {
        (member.pk, ("vneid-level2",), "done", False)
    }
    assert all(a.id.version == 7 for a in assists)  # made on the phone, time-ordered

    batch = next(body for body in sent if body["events"])
    assert [e["id"] for e in batch["events"]] == [str(a.id) for a in assists]

    again = _post_sync(page, batch)
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 3
    assert Assist.objects.count() == 3

    changed = json.loads(json.dumps(batch))
    changed["events"] = changed["events"][:1]
    changed["events"][0]["payload"]["outcome"] = "refused"
    answer = _post_sync(page, changed)
    assert [r["status"] for r in answer["results"]] == ["conflict"]
    assert answer["results"][0]["message"]  # said to the member, in Vietnamese
    conflict = SyncConflict.objects.get()
    assert str(conflict.event_id) == batch["events"][0]["id"]
    assert Assist.objects.get(pk=conflict.event_id).outcome == "done"  # the stored one stays in force

    # The commune officer finds it on the conflict review page, both versions side by side.
    officer = make.user(Role.COMMUNE_OFFICER, village.parent)
    header(page).get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/**")
    log_in(page, officer.username)
    page.goto(page.url_for(reverse("outreach:conflicts")))
    expect(page.locator("#conflicts > li")).to_have_count(1)
    page.locator(f'#conflicts a[data-conflict="{conflict.pk}"]').click()
    differs = page.locator("#versions tr.differs")
    expect(differs).to_have_count(1)
    expect(differs).to_contain_text("Kết quả")
    expect(differs).to_contain_text("Đã xong")
    expect(differs).to_contain_text("Người dân từ chối")
