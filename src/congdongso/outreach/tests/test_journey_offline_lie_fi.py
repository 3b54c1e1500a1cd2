"""The phone says it is online but nothing gets through ("lie-fi"): the visit form posts as usual, the
service worker keeps the assist in the outbox under the id the page made, brings back the visit
screen it kept, and the assist reaches the server when the network really returns. A consent
withdrawn on the server takes the names off the phone at the next sync; logging out takes the
households off the phone."""

import pytest
from playwright.sync_api import expect

from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.households.services import consent_withdraw
from congdongso.outreach.models import Assist
from congdongso.outreach.tests.builders import make_household
from congdongso.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALWAYS_ONLINE = "Object.defineProperty(Navigator.prototype, 'onLine', {configurable: true, get: () => true})"
PHONE_COPY = """async () => {
  const db = await new Promise((ok, no) => { const r = indexedDB.open('cds'); r.onsuccess = () => ok(r.result); r.onerror = no; });
  const count = (name) => new Promise((ok) => { const r = db.transaction(name).objectStore(name).count(); r.onsuccess = () => ok(r.result); });
  const result = {households: await count('households'), outbox: await count('outbox'), pages: await caches.has('cds-pages'),
                  offlinePage: Boolean(await caches.match('/outreach/offline/'))};
  db.close();
  return result;
}"""


def test_a_visit_posted_into_a_dead_network_is_kept_and_arrives_once(page, place):
    national_catalogue_ensure()
    household, (person,) = make_household(place["village"], head="Trần Văn Ba")
    log_in(page, place["member"].username)
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'")
    page.goto(page.url_for(f"/outreach/visit/{household.pk}/"))  # online, through the worker: a copy is kept
    page.wait_for_function("document.documentElement.dataset.visitReady === '1'")
    assist_id = page.locator("input[name=assist_id]").input_value()

    page.add_init_script(ALWAYS_ONLINE)
    page.evaluate(ALWAYS_ONLINE)
    page.context.set_offline(True)
    pick = page.locator(f'#recommendations .pick[data-resident="{person.pk}"]').first
    skill = pick.get_attribute("data-skill")
    pick.click()
    page.get_by_role("button", name="Đã xong — tự dùng được").click()

    expect(page.locator(".messages")).to_contain_text("Đã lưu trên máy:")
    expect(page.locator("#recent li.pending")).to_have_count(1)
    chip = page.locator(f'#skills li[data-resident="{person.pk}"] [data-skill="{skill}"]')
    expect(chip).to_have_attribute("data-state", "independent")
    expect(page.locator("#sync-status")).to_have_text("1 bản ghi chờ đồng bộ")
    assert Assist.objects.count() == 0

    page.context.set_offline(False)
    page.get_by_role("button", name="Đồng bộ ngay").click()
    expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    expect(page.get_by_role("button", name="Đồng bộ ngay")).to_be_enabled()
    assist = Assist.objects.get()
    assert str(assist.id) == assist_id  # the id the page made, kept by the worker
    assert (assist.resident_id, assist.outcome, assist.independent) == (person.pk, "done", True)

    # Consent withdrawn on the server: the next sync takes the names off the phone, kept page included.
    kept = f"/outreach/visit/{household.pk}/"
    assert page.evaluate(f"async () => Boolean(await caches.match('{kept}'))")
    consent_withdraw(household=household, actor_id=None)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/sync")):
        page.get_by_role("button", name="Đồng bộ ngay").click()
    page.wait_for_function(f"async () => !(await caches.match('{kept}'))")
    copy = page.evaluate(f"CDS.store.get('households', '{household.pk}')")
    assert (copy["hn"], copy["c"]) == ("", False)

    assert page.evaluate(PHONE_COPY) == {"households": 1, "outbox": 0, "pages": True, "offlinePage": True}
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.evaluate(PHONE_COPY) == {"households": 0, "outbox": 0, "pages": False, "offlinePage": False}
