"""Per-client rate limits for the public pages, counted in Django's cache (no captcha, no third party).

A limit is (requests, seconds) and can be changed in settings (SCAMS_RATE_LIMITS, by bucket) or turned
off with None. The client is identified by its address, hashed: the cache never holds the address
itself. With the default per-process cache each worker process counts on its own; a shared cache
(Redis, Memcached) makes the limit hold across processes.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LIMITS: dict[str, tuple[int, int] | None] = {
    "report": (5, 600),
    "check": (30, 600),
    "lookup": (120, 60),
}


def limit_for(bucket: str) -> tuple[int, int] | None:
    return getattr(settings, "SCAMS_RATE_LIMITS", {}).get(bucket, DEFAULT_LIMITS[bucket])


def client_id(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow(request: HttpRequest, bucket: str) -> bool:
    """Count one request of this client in this bucket; False once the limit is passed."""
    limit = limit_for(bucket)
    if limit is None:
        return True
    count, seconds = limit
    digest = hashlib.blake2b(client_id(request).encode(), digest_size=12).hexdigest()
    key = f"scams-rate:{bucket}:{digest}"
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) <= count
    except ValueError:  # the key expired between add and incr: a fresh window
        cache.add(key, 1, seconds)
        return True


def retry_after(bucket: str) -> int:
    limit = limit_for(bucket)
    return limit[1] if limit else 0
