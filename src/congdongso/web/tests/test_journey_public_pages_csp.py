"""The public pages work under the Content-Security-Policy in a real browser: each loads its scripts
and styles with no violation (the `page` fixture fails a test on any), and the feedback form's place
search, which fetches as the resident types, still shows places."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/accounts/login/", "/scams/", "/scams/check/", "/scams/report/", "/feedback/",
                "/feedback/status/", "/privacy/", "/scams/?q=0912345678"]


def test_public_pages_load_without_a_policy_violation(page):
    for path in PUBLIC_PAGES:
        response = page.goto(page.url_for(path))
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")


def test_the_place_search_fetches_under_the_policy(page, make):
    province = make.province(name="Tỉnh Thử Nghiệm")
    make.commune(province, name="Xã An Bình")
    page.goto(page.url_for("/feedback/"))
    page.locator("#id_place_query").fill("An Bình")
    page.locator("#place-results").get_by_text("Xã An Bình").first.wait_for()
