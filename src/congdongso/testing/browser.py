"""Real-browser fixtures: Debian's Chromium driven through Playwright against pytest-django's live server.

Import the fixtures into a conftest (`from congdongso.testing.browser import browser, page  # noqa: F401`).
Tests that use them need `@pytest.mark.browser` and `@pytest.mark.django_db(transaction=True)`: the live
server answers from another thread, so the data a test creates must be committed for it to see.

Playwright's sync API leaves its event loop marked as running in the test thread for as long as it is
started. Django's ORM then needs DJANGO_ALLOW_ASYNC_UNSAFE (set in the root conftest), and anything that
calls async_to_sync or asyncio.run in the same process would fail: `order_browser_tests_last` keeps the
browser tests after all others.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from congdongso.testing.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the networking flags Chromium reaches out to Google services, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Pages are local and small: fail in seconds rather than Playwright's default 30 s.
TIMEOUT_MS = 5_000
PHONE = {"width": 390, "height": 844}


# One Playwright and one Chromium per test process. Every app's conftest re-exports `browser`, which
# makes a session fixture per conftest; two of them starting Playwright's sync API in the same thread
# would fail ("using Playwright Sync API inside the asyncio loop"), so they share this one.
_shared: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH.")
    if not _shared["users"]:
        playwright = sync_playwright().start()
        try:
            _shared["chromium"] = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except BaseException:
            playwright.stop()
            raise
        _shared["playwright"] = playwright
    _shared["users"] += 1
    try:
        yield _shared["chromium"]
    finally:
        _shared["users"] -= 1
        if not _shared["users"]:
            try:
                _shared.pop("chromium").close()
            finally:
                _shared.pop("playwright").stop()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A page in a fresh context (own cookies), Vietnamese locale, with `page.url_for(path)` to the live server."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.url_for = lambda path: live_server.url + path
    try:
        yield page
    finally:
        context.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto(page.url_for("/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def order_browser_tests_last(items: list) -> None:
    """Move browser tests after all others (stable order otherwise); see the module docstring."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def fits_width(page) -> bool:
    """Nothing sticks out sideways: the page, once loaded, is no wider than the viewport."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
