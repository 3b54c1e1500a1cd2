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
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

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


def live_server_one_request_at_a_time() -> None:
    """Make pytest-django's live server answer one request at a time when the test database is
    SQLite in memory (called from the root conftest)."""
    LiveServerThread.server_class = _OneRequestAtATime


class _OneRequestAtATime(ThreadedWSGIServer):
    """On SQLite in memory the live server's request threads share the test's one connection, and
    two requests on it at once (a phone's page and its background sync) fail with "bad
    parameter or other API misuse". Each browser connection keeps its thread; only a request's
    application call and the writing of its response wait for their turn."""

    def set_app(self, application) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        turn = threading.Lock()

        def one_at_a_time(environ, start_response):
            turn.acquire()
            try:
                return _ReleasedOnClose(application(environ, start_response), turn)
            except BaseException:
                turn.release()
                raise

        super().set_app(one_at_a_time)


class _ReleasedOnClose:
    """A response body that gives the turn back once the server has written it (a streamed body
    reads the database while it is written)."""

    def __init__(self, body: Iterable, turn: threading.Lock):
        self.body, self.turn = body, turn

    def __iter__(self):
        return iter(self.body)

    def close(self) -> None:
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.turn.release()


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
    # The site's Content-Security-Policy is enforced here as in production: a violation (an inline
    # script, an eval, a resource from elsewhere) fails the test.
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.wait_for_function = _csp_safe_wait_for_function(page)
    try:
        yield page
        assert not violations, f"Content-Security-Policy violations: {violations}"
    finally:
        context.close()


FUNCTION_SOURCE = re.compile(r"\s*(async\s+)?(function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")


def _csp_safe_wait_for_function(page):
    """page.wait_for_function, polling through page.evaluate. Playwright evaluates a string predicate
    with eval inside the page, which the site's policy (no 'unsafe-eval') refuses; evaluate goes
    through the DevTools protocol, which the policy does not govern."""

    def wait_for_function(expression: str, *, arg=None, timeout: float | None = None, polling=None):
        deadline = time.monotonic() + (TIMEOUT_MS if timeout is None else timeout) / 1000
        # A function's promise is awaited, as Playwright does; a bare expression is only tested for
        # truth (a pending promise is truthy), where evaluate would wait for its value.
        script = expression if FUNCTION_SOURCE.match(expression) else f"() => Boolean({expression})"
        while True:
            value = page.evaluate(script, arg)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after the timeout: {expression}")
            page.wait_for_timeout(polling if isinstance(polling, int | float) else 50)

    return wait_for_function


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would; an officer then types the code their
    authenticator app shows (computed here from the secret the factory set up), or sets the app up
    first when they have none."""
    page.goto(page.url_for("/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))
    if "/accounts/2fa/enrol/" in page.url:
        _enrol_in_page(page)
    elif "/accounts/2fa/" in page.url:
        from congdongso.accounts.models import User
        from congdongso.testing.twofactor import current_code

        page.locator("#id_code").fill(current_code(User.objects.get(username=username)))
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url(re.compile(r"^(?!.*/accounts/2fa/)"))


def _enrol_in_page(page) -> None:
    import pyotp

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.locator("#id_code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Kích hoạt").click()
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/2fa/)"))


def header(page):
    """The header's links, as a person reaches them: on a phone web/menu.js folds them behind the menu
    button, which is pressed first."""
    menu = page.locator(".topbar .menu-toggle")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
    return page.locator(".topbar")


def order_browser_tests_last(items: list) -> None:
    """Move browser tests after all others (stable order otherwise); see the module docstring."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def fits_width(page) -> bool:
    """Nothing sticks out sideways: the page, once loaded, is no wider than the viewport."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
