"""Per-client rate limits for public pages, counted in Django's cache (no captcha, no third party).

Each app names its buckets and their default limits, (requests, seconds), and a setting that can
change a bucket's limit or turn it off with None. The client is identified by its address, hashed:
the cache never holds the address itself. With the default per-process cache each worker counts on
its own; a shared cache (Redis, Memcached) makes a limit hold across processes.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

Limit = tuple[int, int] | None


@dataclass(frozen=True)
class RateLimits:
    namespace: str
    setting: str
    defaults: dict[str, Limit]

    def limit_for(self, bucket: str) -> Limit:
        return (getattr(settings, self.setting, {}) or {}).get(bucket, self.defaults[bucket])

    def _key(self, request: HttpRequest, bucket: str) -> str:
        client = request.META.get("REMOTE_ADDR") or "unknown"
        digest = hashlib.blake2b(client.encode(), digest_size=12).hexdigest()
        return f"{self.namespace}-rate:{bucket}:{digest}"

    def allow(self, request: HttpRequest, bucket: str) -> bool:
        """Count one request of this client in this bucket; False once the limit is passed."""
        limit = self.limit_for(bucket)
        if limit is None:
            return True
        count, seconds = limit
        key = self._key(request, bucket)
        cache.add(key, 0, seconds)
        try:
            return cache.incr(key) <= count
        except ValueError:  # the key expired between add and incr: a fresh window
            cache.add(key, 1, seconds)
            return True

    def exhausted(self, request: HttpRequest, bucket: str) -> bool:
        """True when this client has used up the bucket (without counting a request)."""
        limit = self.limit_for(bucket)
        return limit is not None and (cache.get(self._key(request, bucket)) or 0) >= limit[0]

    def retry_after(self, bucket: str) -> int:
        limit = self.limit_for(bucket)
        return limit[1] if limit else 0

    def too_many_message(self, bucket: str) -> str:
        """What a limited client is told, in the active language."""
        minutes = max(1, self.retry_after(bucket) // 60)
        return ngettext(
            "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau %(minutes)s phút.",
            "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau %(minutes)s phút.",
            minutes,
        ) % {"minutes": minutes}

    def too_many_page(self, request: HttpRequest, bucket: str) -> HttpResponse:
        """A public page's 429 answer: the Vietnamese "try again in N minutes" page, with Retry-After."""
        seconds = self.retry_after(bucket)
        response = render(request, "web/rate_limited.html", {"minutes": max(1, seconds // 60)}, status=429)
        response["Retry-After"] = str(seconds)
        return response

    def too_many_json(self, bucket: str) -> JsonResponse:
        """The API's 429 answer (the one error shape), with Retry-After."""
        message = self.too_many_message(bucket)
        response = JsonResponse({"error": {"code": "rate_limited", "message": message}}, status=429)
        response["Retry-After"] = str(self.retry_after(bucket))
        return response
