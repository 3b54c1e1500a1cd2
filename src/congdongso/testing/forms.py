"""Helpers for tests that post unclear input to a form page and expect a clean refusal."""

import datetime as dt
import html

from django.apps import apps
from django.utils import timezone

PROJECT_APPS = ("geo", "accounts", "audit", "teams")

# Django's own English wording: none of it may reach a Vietnamese page.
ENGLISH_LEAKS = (
    "This field is required",
    "Null characters are not allowed",
    "Enter a valid",
    "Ensure this value",
    "Select a valid choice",
    "Please enter a correct",
    "The submitted file",
    "No file was submitted",
)

LONG = "x" * 10_000
NUL = "Tổ\x00Một"
SCRIPT = "<script>alert(1)</script>"
BAD_DATES = ["31/02/2026", "hôm qua", "2026-13-01", "2026-02-30", "0000-01-01", "20260101", "x" * 10_000, "\x00"]


def tomorrow() -> str:
    """A date in the future, as a form field takes it. Two days ahead, not one: the tests that use it
    are collected before they run, and a run crossing midnight in Vietnam must still see the future."""
    return (timezone.localdate() + dt.timedelta(days=2)).isoformat()


def next_year() -> str:
    return (timezone.localdate() + dt.timedelta(days=366)).strftime("%d/%m/%Y")


def database_state() -> dict[str, list[dict]]:
    """Every row of the project's own tables: equal before and after means nothing was written."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
    }


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def assert_refused(client, url: str, data, expected: str | tuple[str, ...], **extra) -> str:
    """POST `data`; the form must come back (200) naming the problem in Vietnamese, with nothing
    written. `expected` is a phrase of the message, or a tuple of phrases any one of which will do.
    Returns the page text for further checks."""
    before = database_state()
    response = client.post(url, data, **extra)
    assert response.status_code == 200, f"{url} answered {response.status_code} to {data!r:.200}"
    text = page_text(response)
    phrases = expected if isinstance(expected, tuple) else (expected,)
    assert any(phrase in text for phrase in phrases), f"{expected!r} not on the page for {data!r:.200}"
    leaks = [phrase for phrase in ENGLISH_LEAKS if phrase in text]
    assert not leaks, f"English error text on a Vietnamese page: {leaks}"
    assert database_state() == before, "a refused form wrote to the database"
    return text
