"""Login throttling: count failures per username and per client address in the cache.

Two steps are counted apart: the password (`login`) and the second-factor code (`code`). Either locks,
for the window, the account and the address that failed too often: guessing a 6-digit code is then
as slow as guessing a password."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from congdongso.common.text import fold

LOGIN = "login"
CODE = "code"


def _keys(username: str, client: str, step: str = LOGIN) -> list[str]:
    # Hashed: a typed username may hold spaces, control characters or be very long, none of which
    # a cache key may (memcached refuses them; Django warns).
    user_key = hashlib.sha256(fold(username).encode()).hexdigest()
    address_key = hashlib.sha256(client.encode()).hexdigest()
    prefix = "login-fail" if step == LOGIN else f"{step}-fail"
    return [f"{prefix}:user:{user_key}", f"{prefix}:addr:{address_key}"]


def is_locked(username: str, client: str, step: str = LOGIN) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(username, client, step))


def note_failure(username: str, client: str, step: str = LOGIN) -> None:
    for key in _keys(username, client, step):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls: this failure starts a new window
            cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear(username: str, client: str, step: str = LOGIN) -> None:
    cache.delete(_keys(username, client, step)[0])


def window_minutes() -> int:
    return max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown") if request is not None else "unknown"
