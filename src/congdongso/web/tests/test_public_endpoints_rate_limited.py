"""Every public endpoint (a page declared @public, an API operation without auth) has a per-client
rate limit, or does no database work at all. A new public endpoint fails here until it is given a
limit (common/ratelimit.py: a RateLimits of its app) and a probe below.

Each probe sets its limit to zero requests and checks that the endpoint refuses at once, so an entry
cannot claim a limit the view does not apply. Exempt endpoints must answer without one query."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from congdongso.accounts.gate import PUBLIC, declared_access
from congdongso.api import api

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Limited:
    setting: str  # the RateLimits setting (FEEDBACK_RATE_LIMITS...), or a plain setting for login
    bucket: str
    call: Callable  # (client) -> response, one request the limit must refuse


@dataclass(frozen=True)
class Exempt:
    why: str
    call: Callable


def _login_locked(client, settings):
    # Login counts failures per name and address (accounts/throttle.py), not requests.
    settings.LOGIN_FAILURE_LIMIT = 0
    response = client.post(reverse("accounts:login"), {"username": "ai-do", "password": "sai-mat-khau-1"})
    return [error.code for error in response.context["form"].non_field_errors().as_data()] == ["locked"]


PAGES: dict[str, Limited | Exempt | Callable] = {
    "accounts:login": _login_locked,
    "feedback:submit": Limited("FEEDBACK_RATE_LIMITS", "post", lambda c: c.post(reverse("feedback:submit"), {})),
    "feedback:places": Limited("FEEDBACK_RATE_LIMITS", "places", lambda c: c.get(reverse("feedback:places"), {"q": "An"})),
    "feedback:status_lookup": Limited(
        "FEEDBACK_RATE_LIMITS", "status", lambda c: c.get(reverse("feedback:status_lookup"), {"code": "K7M2QX9P"})
    ),
    "feedback:status": Limited(
        "FEEDBACK_RATE_LIMITS", "status", lambda c: c.get(reverse("feedback:status", args=["K7M2QX9P"]))
    ),
    "scams:lookup": Limited("SCAMS_RATE_LIMITS", "lookup", lambda c: c.get(reverse("scams:lookup"), {"q": "0912345678"})),
    "scams:check": Limited("SCAMS_RATE_LIMITS", "check", lambda c: c.post(reverse("scams:check"), {"message": "x"})),
    "scams:report": Limited("SCAMS_RATE_LIMITS", "report", lambda c: c.post(reverse("scams:report"), {})),
    "privacy:submit": Limited("PRIVACY_RATE_LIMITS", "post", lambda c: c.post(reverse("privacy:submit"), {})),
    "web:health": Exempt("a constant answer for load balancers", lambda c: c.get(reverse("web:health"))),
    "web:service_worker": Exempt("a static script", lambda c: c.get(reverse("web:service_worker"))),
    "web:manifest": Exempt("static app metadata", lambda c: c.get(reverse("web:manifest"))),
    "scams:report_sent": Exempt("a fixed thank-you page", lambda c: c.get(reverse("scams:report_sent"))),
    "accounts:logout": Exempt("ends the caller's own session", lambda c: c.post(reverse("accounts:logout"))),
    "set_language": Exempt(
        "sets the caller's language cookie", lambda c: c.post(reverse("set_language"), {"language": "en", "next": "/"})
    ),
}

API: dict[tuple[str, str], Limited] = {
    ("get", "/api/v1/units/resolve"): Limited(
        "WEB_RATE_LIMITS", "resolve", lambda c: c.get("/api/v1/units/resolve", {"code": "01"})
    ),
    ("get", "/api/v1/scams/lookup"): Limited(
        "SCAMS_RATE_LIMITS", "lookup", lambda c: c.get("/api/v1/scams/lookup", {"q": "0912345678"})
    ),
    ("post", "/api/v1/scams/check"): Limited(
        "SCAMS_RATE_LIMITS", "check",
        lambda c: c.post("/api/v1/scams/check", {"message": "x"}, content_type="application/json"),
    ),
}


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])))
        elif isinstance(pattern, URLPattern):
            yield pattern, namespace


def public_pages() -> set[str]:
    return {
        ":".join(filter(None, [namespace, pattern.name]))
        for pattern, namespace in _walk(get_resolver().url_patterns)
        if declared_access(pattern.callback, namespace) == PUBLIC
    }


def public_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method, path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if not operation.get("security")
    }


def test_every_public_page_and_operation_has_a_limit_or_an_exemption():
    assert public_pages() == set(PAGES), "a public page without a rate limit (or a stale entry): see PAGES"
    assert public_operations() == set(API), "a public API operation without a rate limit (or a stale entry): see API"


@pytest.mark.parametrize("name", sorted(name for name, entry in PAGES.items() if isinstance(entry, Limited)))
def test_a_limited_page_refuses_once_its_limit_is_used(client, settings, name):
    entry = PAGES[name]
    setattr(settings, entry.setting, {entry.bucket: (0, 60)})
    response = entry.call(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"


@pytest.mark.parametrize("key", sorted(API))
def test_a_limited_operation_refuses_once_its_limit_is_used(client, settings, key):
    entry = API[key]
    setattr(settings, entry.setting, {entry.bucket: (0, 60)})
    response = entry.call(client)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert response["Retry-After"] == "60"


def test_login_is_throttled_by_failures(client, settings):
    assert PAGES["accounts:login"](client, settings)


@pytest.mark.parametrize("name", sorted(name for name, entry in PAGES.items() if isinstance(entry, Exempt)))
def test_an_exempt_page_does_no_database_work(client, django_assert_num_queries, name):
    with django_assert_num_queries(0):
        response = PAGES[name].call(client)
    assert response.status_code < 400
