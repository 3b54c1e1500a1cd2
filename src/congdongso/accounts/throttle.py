"""Login throttling: count failures per username and per client address in the cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from congdongso.common.text import fold


def _keys(username: str, client: str) -> list[str]:
    # Hashed: a typed username may hold spaces, control characters or be very long, none of which
    # a cache key may (memcached refuses them; Django warns).
    user_key = hashlib.sha256(fold(username).encode()).hexdigest()
    address_key = hashlib.sha256(client.encode()).hexdigest()
    return [f"login-fail:user:{user_key}", f"login-fail:addr:{address_key}"]


def is_locked(username: str, client: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(username, client))


def note_failure(username: str, client: str) -> None:
    for key in _keys(username, client):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        cache.incr(key)


def clear(username: str, client: str) -> None:
    cache.delete(_keys(username, client)[0])
