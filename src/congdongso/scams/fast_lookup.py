"""GET /api/v1/scams/lookup answered in front of Django's middleware and django-ninja.

The public lookup is the platform's hottest read (the issue's goal: 3,000 lookups/s on two cores).
Measured on the bench, Django's stack around it (URL resolution through twelve resolvers, nine
middleware, ninja's parameter model, messages and session set-up, the request signals' bookkeeping)
cost more CPU than the lookup itself. `congdongso.wsgi` hands this one URL to `answer()` first:

* It answers only the request it fully understands: GET, an allowed Host, no session or CSRF cookie,
  a query string Django would parse. Anything else returns None and Django answers, so every other
  case (POST, a bad Host, a logged-in browser, too many fields...) behaves exactly as before.
* The body comes from the same code as Django's path (`scams.api.lookup_json`, `scams.api._limited`);
  the headers are the ones the middleware of settings.MIDDLEWARE add to such a JSON response
  (X-Frame-Options, Content-Length, Vary and Content-Language, Permissions-Policy,
  Content-Security-Policy, the SecurityMiddleware headers), read from the same settings; the
  language is chosen as `VietnameseFirstLocaleMiddleware` chooses it (the language cookie, else
  Vietnamese); the per-client rate limit is the same call on the same cache.
  With SECURE_SSL_REDIRECT (production's default) only requests that arrive over HTTPS are answered
  here; a plain-HTTP one goes to Django, which redirects it.
  When the middleware list is not the one mirrored here, or a setting makes a middleware act on this
  request (PREPEND_WWW, disallowed user agents, CSRF in the session, i18n URL prefixes), the fast
  path turns itself off and says so in the log.
  scams/tests/test_fast_lookup_equivalence.py sends a corpus through both paths and compares status,
  headers and bytes.
* Nothing of the request is logged (the query may be someone's phone number).

Answers are kept per process for SCAMS_LOOKUP_CACHE_SECONDS (default 5), at most SCAMS_LOOKUP_CACHE_SIZE
(default 10,000) of them, by (language, query). A public read may be that stale: statuses and report
counts change when residents report and officers moderate, on a scale of minutes to days, and the
status advice is already kept a minute per process (lookup.STATUS_ADVICE_SECONDS); five seconds more
is not a difference a resident can act on, while a number going round a village's Zalo group is looked
up by many people within seconds. Only this API answer is kept: the lookup page, officers' pages and
the message checker read the database each time. The rate limit is counted before the cache, so a
cached answer costs the client the same as a fresh one. SCAMS_LOOKUP_CACHE_SECONDS = 0 turns the
cache off; SCAMS_LOOKUP_FAST_PATH = False sends the lookup through Django again.
"""

import logging
import re
import threading
import time
from urllib.parse import unquote_plus

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.db import close_old_connections
from django.http import QueryDict
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils import translation
from django.utils.csp import CSP, build_policy

from congdongso.common.permissions_policy import permissions_policy_header
from congdongso.scams import api, identifiers, ratelimit

logger = logging.getLogger(__name__)

LOOKUP_PATH = "/api/v1/scams/lookup"
JSON = ("Content-Type", "application/json")  # what HttpResponse(..., content_type="application/json") sends
CACHE_SECONDS = 5
CACHE_SIZE = 10_000
# An answer larger than this (a query matching many entities) is not kept: typical answers are
# 0.3-1 KB, so the cache holds ~5 MB per process and never more than CACHE_SIZE x 4 KB.
CACHE_MAX_BODY = 4096

# The middleware whose effect on this request is reproduced below, in settings order.
MIRRORED_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "congdongso.web.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congdongso.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "congdongso.accounts.gate.AccessGateMiddleware",
)


class _Request:
    """What the rate limit reads of a request: its META (the WSGI environ, as in Django)."""

    __slots__ = ("META",)

    def __init__(self, environ: dict):
        self.META = environ


class AnswerCache:
    """Answers by key for `seconds`, at most `size` of them; the oldest entry leaves first when full.

    Reads take no lock (a dict lookup is atomic); writes take one, so eviction never races another
    writer. An entry is (expires_at, answer); a stale entry is replaced by the next miss.
    """

    def __init__(self, seconds: float, size: int, clock=time.monotonic):
        self.seconds, self.size, self.clock = seconds, size, clock
        self._entries: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        entry = self._entries.get(key)
        if entry is not None and entry[0] > self.clock():
            return entry[1]
        return None

    def put(self, key, answer) -> None:
        if self.seconds <= 0 or self.size <= 0:
            return
        with self._lock:
            entries = self._entries
            entries.pop(key, None)
            while len(entries) >= self.size:
                del entries[next(iter(entries))]
            entries[key] = (self.clock() + self.seconds, answer)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class FastLookup:
    """The fast path under the settings in force when it was built (rebuilt when settings change)."""

    def __init__(self):
        self.off_because = self._reason_to_stay_off()
        self.cache = AnswerCache(
            getattr(settings, "SCAMS_LOOKUP_CACHE_SECONDS", CACHE_SECONDS),
            getattr(settings, "SCAMS_LOOKUP_CACHE_SIZE", CACHE_SIZE),
        )
        self.allowed_hosts = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not self.allowed_hosts:
            self.allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]  # as HttpRequest.get_host
        self._hosts: dict[str, bool] = {}
        self.cookie_names_for_django = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        self.language_cookie = settings.LANGUAGE_COOKIE_NAME
        self.default_language = settings.LANGUAGE_CODE
        self.xframe = ("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper())
        # SecurityMiddleware.process_response, in its order (Strict-Transport-Security first).
        self.sts = None
        if settings.SECURE_HSTS_SECONDS:
            sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                sts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                sts += "; preload"
            self.sts = ("Strict-Transport-Security", sts)
        security = []
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            security.append(("X-Content-Type-Options", "nosniff"))
        policy = settings.SECURE_REFERRER_POLICY
        if policy:
            value = ",".join([v.strip() for v in policy.split(",")] if isinstance(policy, str) else policy)
            security.append(("Referrer-Policy", value))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            security.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
        self.security = tuple(security)
        # ContentSecurityPolicyMiddleware: nothing here reads the request's nonce, so the middleware
        # drops the nonce from the policy, as build_policy does without one.
        self.csp = tuple(
            (str(header), build_policy(config))
            for header, config in ((CSP.HEADER_ENFORCE, settings.SECURE_CSP),
                                   (CSP.HEADER_REPORT_ONLY, settings.SECURE_CSP_REPORT_ONLY))
            if config
        )
        permissions = permissions_policy_header()
        self.permissions = (("Permissions-Policy", permissions),) if permissions else ()
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        # SecurityMiddleware.process_request redirects plain HTTP unless the path is exempt.
        self.https_only = settings.SECURE_SSL_REDIRECT and not any(
            re.search(pattern, LOOKUP_PATH.lstrip("/")) for pattern in settings.SECURE_REDIRECT_EXEMPT
        )
        self.use_x_forwarded_host = settings.USE_X_FORWARDED_HOST
        self.charset = settings.DEFAULT_CHARSET
        max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        self.one_field_allowed = max_fields is None or max_fields >= 1

    @staticmethod
    def _reason_to_stay_off() -> str:
        if not getattr(settings, "SCAMS_LOOKUP_FAST_PATH", True):
            return "SCAMS_LOOKUP_FAST_PATH is off"
        if tuple(settings.MIDDLEWARE) != MIRRORED_MIDDLEWARE:
            return "settings.MIDDLEWARE is not the list the fast path mirrors"
        if settings.PREPEND_WWW or settings.DISALLOWED_USER_AGENTS:
            return "a middleware setting (PREPEND_WWW, disallowed user agents) acts on every request"
        if settings.CSRF_USE_SESSIONS or not settings.USE_I18N:
            return "CSRF_USE_SESSIONS or USE_I18N differ from what the fast path mirrors"
        if any(is_language_prefix_patterns_used(settings.ROOT_URLCONF)):
            return "the URLs use language prefixes"
        return ""

    # --- the request -------------------------------------------------------------------------------

    def _host_allowed(self, environ: dict) -> bool:
        """HttpRequest.get_host's check (CommonMiddleware calls it on every request); remembered per Host."""
        if self.use_x_forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        else:
            host = environ.get("HTTP_HOST")
        if not host:
            return False  # Django builds it from SERVER_NAME: let Django do that
        allowed = self._hosts.get(host)
        if allowed is None:
            domain, _port = split_domain_port(host)
            allowed = bool(domain) and validate_host(domain, self.allowed_hosts)
            if len(self._hosts) >= 256:
                self._hosts.clear()
            self._hosts[host] = allowed
        return allowed

    def _language(self, environ: dict) -> str | None:
        """VietnameseFirstLocaleMiddleware's choice; None when a cookie makes Django's path differ."""
        header = environ.get("HTTP_COOKIE")
        if not header:
            return self.default_language
        cookies = parse_cookie(header)
        # A session cookie (even an invalid one, which SessionMiddleware deletes) or a CSRF cookie
        # (rewritten when malformed): Django answers those requests.
        if any(name in cookies for name in self.cookie_names_for_django):
            return None
        chosen = cookies.get(self.language_cookie)
        if chosen:
            try:
                return translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        return self.default_language

    def _q(self, query_string: str) -> str | None:
        """`q` as django-ninja reads it from WSGIRequest.GET (the last value wins, "" when absent)."""
        if not query_string:
            return ""
        if self.one_field_allowed and query_string.startswith("q=") and "&" not in query_string \
                and query_string.isascii():
            # The common case, as QueryDict parses it: one field (parse_qsl splits on "&" only), its
            # value unquoted with "+" as a space in DEFAULT_CHARSET, undecodable bytes replaced.
            return unquote_plus(query_string[2:], encoding=self.charset, errors="replace")
        try:
            params = QueryDict(query_string.encode("iso-8859-1"))
        except Exception:  # too many fields, a string WSGI cannot carry: Django answers as it does
            return None
        q = params["q"] if "q" in params else ""
        return q if isinstance(q, str) else None

    def _secure(self, environ: dict) -> bool:
        """HttpRequest.is_secure()."""
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                value, *_ = value.split(",", 1)
                return value.strip() == secure_value
        return environ.get("wsgi.url_scheme") == "https"

    # --- the answer --------------------------------------------------------------------------------

    def answer(self, environ: dict) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """(status, headers, body) for a lookup this path can answer as Django would; else None."""
        if self.off_because or environ.get("REQUEST_METHOD") != "GET" or not self._host_allowed(environ):
            return None
        language = self._language(environ)
        if language is None:
            return None
        q = self._q(environ.get("QUERY_STRING", ""))
        if q is None:
            return None
        is_secure = self._secure(environ)
        if self.https_only and not is_secure:
            return None  # Django redirects it to HTTPS
        secure = bool(self.sts) and is_secure
        if not ratelimit.allow(_Request(environ), "lookup"):
            with translation.override(language):
                response = api._limited("lookup")
                return self._finish(
                    f"{response.status_code} {response.reason_phrase}", list(response.items()), response.content,
                    translation.get_language(), secure,
                )
        key = (language, secure, q[:500])
        answer = self.cache.get(key)
        if answer is None:
            # What Django's request_started / request_finished receivers do that matters here: drop a
            # database connection past CONN_MAX_AGE, or broken, before and after using it. (Not the
            # signals themselves: their other receivers reset DEBUG's query log, the caches' and the
            # URLconf's per-request state, which this path neither fills nor changes.)
            close_old_connections()
            try:
                with translation.override(language):
                    body = api.lookup_json(q)
                    answer = self._finish("200 OK", [JSON], body, translation.get_language(), secure)
            finally:
                close_old_connections()
            if len(body) <= CACHE_MAX_BODY:
                self.cache.put(key, answer)
        return answer[0], list(answer[1]), answer[2]

    def _finish(self, status: str, headers: list, body: bytes, language: str, secure: bool):
        """The view's answer with the headers the middleware add on the way out, in their order."""
        names = {name.lower() for name, _value in headers}
        if "x-frame-options" not in names:  # XFrameOptionsMiddleware
            headers.append(self.xframe)
        if "content-length" not in names:  # CommonMiddleware
            headers.append(("Content-Length", str(len(body))))
        # LocaleMiddleware (no i18n URL prefixes, so Vary always; the active language).
        headers.append(("Vary", "Accept-Language"))
        headers.append(("Content-Language", language))
        headers.extend(self.permissions)  # PermissionsPolicyMiddleware
        headers.extend(self.csp)  # ContentSecurityPolicyMiddleware
        if secure:
            headers.append(self.sts)
        headers.extend(self.security)
        return status, headers, body


_fast: list[FastLookup] = []
_building = threading.Lock()


def fast_lookup() -> FastLookup:
    if not _fast:
        with _building:
            if not _fast:
                built = FastLookup()
                if built.off_because:
                    logger.warning("scam lookup fast path off: %s", built.off_because)
                _fast.append(built)
    return _fast[0]


def answer(environ: dict) -> tuple[str, list[tuple[str, str]], bytes] | None:
    return fast_lookup().answer(environ)


def warm_up() -> None:
    """Load what the first lookup of each kind would load (phonenumbers' metadata, the bank names'
    pattern, the public suffix list: ~0.2 s), at start-up rather than in a resident's request."""
    for sample in ("0912 345 678", "+1 202 555 0143", "https://www.example.com.vn/x", "Vietcombank 0123456789",
                   "https://facebook.com/nguyenvana", "@nguyenvana"):
        identifiers.parse_query(sample)


def forget() -> None:
    """Rebuild from the settings (and drop every kept answer) on the next request."""
    _fast.clear()


def _on_setting_changed(**kwargs) -> None:
    forget()


setting_changed.connect(_on_setting_changed)
