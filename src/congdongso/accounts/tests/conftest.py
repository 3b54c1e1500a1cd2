import pytest
from django.core.cache import cache
from django.urls import reverse

from congdongso.testing.factories import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Failure counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def password_step(client, user, password: str = PASSWORD, next_url: str = "", address: str = "203.0.113.9"):
    """Post the login form as a browser would (not client.login, which stands for a whole sign-in)."""
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=address)


def code_step(client, code: str, address: str = "203.0.113.9", next_url: str = ""):
    data = {"code": code}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:two_factor"), data, REMOTE_ADDR=address)
