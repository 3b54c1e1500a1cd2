"""Login throttling: count failures per username and per client address in the cache."""

from django.conf import settings
from django.core.cache import cache

from congdongso.common.text import fold


def _keys(username: str, client: str) -> list[str]:
    return [f"login-fail:user:{fold(username)}", f"login-fail:addr:{client}"]


def is_locked(username: str, client: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(username, client))


def note_failure(username: str, client: str) -> None:
    for key in _keys(username, client):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        cache.incr(key)


def clear(username: str, client: str) -> None:
    cache.delete(_keys(username, client)[0])
