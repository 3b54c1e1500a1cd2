"""Per-client rate limits for the public feedback pages, counted in Django's cache.

A limit is (requests, seconds), changeable per bucket with the FEEDBACK_RATE_LIMITS setting (None
turns a bucket off). The client is identified by its address, hashed: the cache never holds the
address itself. With the default per-process cache each worker counts on its own; a shared cache
(Redis, Memcached) makes a limit hold across processes.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LIMITS: dict[str, tuple[int, int] | None] = {
    "submit": (5, 3600),  # reports accepted from one client per hour
    "post": (30, 600),  # posts of the form (finding a place, fixing errors) per 10 minutes
    "status": (60, 600),  # status look-ups per 10 minutes: codes cannot be enumerated
    "places": (120, 60),  # place search as you type
}


def limit_for(bucket: str) -> tuple[int, int] | None:
    return (getattr(settings, "FEEDBACK_RATE_LIMITS", {}) or {}).get(bucket, DEFAULT_LIMITS[bucket])


def _key(request: HttpRequest, bucket: str) -> str:
    client = request.META.get("REMOTE_ADDR") or "unknown"
    digest = hashlib.blake2b(client.encode(), digest_size=12).hexdigest()
    return f"feedback-rate:{bucket}:{digest}"


def allow(request: HttpRequest, bucket: str) -> bool:
    """Count one request of this client in this bucket; False once the limit is passed."""
    limit = limit_for(bucket)
    if limit is None:
        return True
    count, seconds = limit
    key = _key(request, bucket)
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) <= count
    except ValueError:  # the key expired between add and incr: a fresh window
        cache.add(key, 1, seconds)
        return True


def exhausted(request: HttpRequest, bucket: str) -> bool:
    """True when this client has used up the bucket (without counting a request)."""
    limit = limit_for(bucket)
    return limit is not None and (cache.get(_key(request, bucket)) or 0) >= limit[0]


def retry_after(bucket: str) -> int:
    limit = limit_for(bucket)
    return limit[1] if limit else 0
