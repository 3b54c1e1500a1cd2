"""The WSGI fast path of GET /api/v1/scams/lookup answers exactly as Django's path does.

A corpus of requests (hits of every identifier kind, misses, empty, too long, odd unicode, odd query
strings, both languages, rate-limited clients, other security settings) goes through Django's own
WSGI handler (the whole middleware stack and django-ninja) and through the fast path; status, every
header (in order) and the body bytes must be equal. Requests the fast path does not mirror (other
methods, a bad Host, a session cookie, middleware settings that act on the request) must be left to
Django.
"""

import logging
from urllib.parse import quote

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import resolve

from congdongso import wsgi
from congdongso.scams import api, fast_lookup, identifiers, services
from congdongso.scams.models import Channel, Source

pytestmark = pytest.mark.django_db

HOST = "testserver"

HITS = [
    "0912 345 678", "(091) 2345678", "+84 912345678", "84912345678", "0912.345.678", "tel:0912345678",
    "https://WWW.lua-dao-thu.vn/nhan-qua?x=1", "lua-dao-thu.vn.", "https://dang-nhap.lua-dao-thu.vn/otp",
    "http://xn--bcher-kva.vn/x", "bücher.vn",
    "Vietcombank 0123456789", "vcb: 0123 456 789", "0123456789", "0123 456 789",
    "https://facebook.com/nguyen.van.a", "facebook.com/profile.php?id=100099", "@nguyenvana",
    "https://zalo.me/0987654321",
]
MISSES = ["0987 000 111", "https://khong-co-gi.com.vn/", "Vietcombank 999999999999", "@khongai"]
ODD = [
    "", " ", "xin chào", "\x00", "a" * 600, "9" * 501, "0912345678" + " " * 300,
    "０９１２ ３４５ ６７８", "𝟘𝟡𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠", "📞 0912345678", "‮0912345678", "0912\u0301345678",
    "https://", "http://[::1]/", "javascript:alert(1)", "\"'><script>", "Lừa đảo", "\ud7ff", "\ufffd",
]
# Query strings as they arrive on the wire, not all of them what a browser would send.
RAW_QUERY_STRINGS = [
    "", "q", "q=", "q=&q=", "q=0912+345+678", "q=0912%20345%20678", "q=%2B84912345678", "q=%2b84912345678",
    "q=a&q=0912345678", "q=0912345678&q=", "x=1&q=0912345678", "q=0912345678&x=1", "Q=0912345678",
    "%71=0912345678", "q=0912345678;x=1", "q==0912345678", "q=%FF%FE", "q=%ED%A0%80", "q=%C3%A0",
    "q=%", "q=%2", "q=%zz0912345678", "q=l%E1%BB%ABa", "q=caf\xe9", "q=+0912345678+", "&&q=0912345678&&",
    "q=" + "%41" * 700,
]


@pytest.fixture
def corpus_entities(starter_tactics, world):
    tactic = starter_tactics["gia-danh-co-quan-chuc-nang"]
    admin = world["admin"]

    def report(identifier, *, confirm=False, with_tactic=None):
        made = services.report_submit(identifier=identifier, source=Source.PUBLIC, channel=Channel.CALL,
                                      tactic=with_tactic)
        if confirm:
            services.report_decide(report=made, confirm=True, reason="Đã xác minh với công an", actor=admin)
        return made

    report(identifiers.phone("0912 345 678"), confirm=True, with_tactic=tactic)
    report(identifiers.phone("+84912345678"))
    report(identifiers.website("lua-dao-thu.vn"))
    report(identifiers.website("bücher.vn"), confirm=True)
    report(identifiers.bank_account("970436", "0123456789"), confirm=True, with_tactic=tactic)
    report(identifiers.bank_account("970415", "0123456789"))
    report(identifiers.link("https://facebook.com/nguyen.van.a"))
    report(identifiers.link("facebook.com/profile.php?id=100099"))
    report(identifiers.link("https://zalo.me/0987654321"), confirm=True)


@pytest.fixture(autouse=True)
def _fresh_fast_path():
    # Its answers are kept for seconds, across tests too: each test starts (and leaves) without them.
    fast_lookup.forget()
    yield
    fast_lookup.forget()


@pytest.fixture
def in_test_transaction(monkeypatch):
    """As Django's test client does: the request signals must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(fast_lookup, "close_old_connections", lambda: None)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def no_limit(settings):
    settings.SCAMS_RATE_LIMITS = {"lookup": None}


def environ(query_string: str, **extra) -> dict:
    import io
    import sys

    env = {
        "REQUEST_METHOD": "GET", "PATH_INFO": fast_lookup.LOOKUP_PATH, "QUERY_STRING": query_string,
        "SCRIPT_NAME": "", "SERVER_NAME": HOST, "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HOST, "REMOTE_ADDR": "10.1.2.3", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http", "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    env.update(extra)
    return env


def through_django(env: dict) -> tuple[str, list, bytes]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    response = WSGIHandler()(env, start_response)  # a fresh handler: the middleware of the settings in force
    try:
        body = b"".join(response)
    finally:
        response.close()
    return seen["status"], list(seen["headers"]), body


def through_fast_path(env: dict) -> tuple[str, list, bytes]:
    answer = fast_lookup.answer(env)
    assert answer is not None, "the fast path left this request to Django"
    return answer


def assert_same(query_string: str, **extra):
    expected = through_django(environ(query_string, **extra))
    got = through_fast_path(environ(query_string, **extra))
    assert got == expected, query_string
    return got


def q(text: str) -> str:
    return "q=" + quote(text, safe="")


@pytest.mark.parametrize("cookie", [None, "django_language=en", "django_language=en-us", "django_language=fr",
                                    "_ga=GA1.2.3; django_language=en; theme=dark", "django_language="])
def test_every_query_of_the_corpus_answers_the_same(corpus_entities, in_test_transaction, no_limit, cookie):
    extra = {"HTTP_COOKIE": cookie} if cookie else {}
    statuses = set()
    for text in HITS + MISSES + ODD:
        status, headers, body = assert_same(q(text), **extra)
        statuses.add(status)
        # And again, now from the fast path's answer cache.
        assert through_fast_path(environ(q(text), **extra)) == (status, headers, body)
    for raw in RAW_QUERY_STRINGS:
        assert_same(raw, **extra)
    assert statuses == {"200 OK"}
    language = dict(headers)["Content-Language"]
    assert language == ("en" if cookie and "django_language=en" in cookie else "vi")


def test_the_corpus_covers_hits_misses_and_every_kind(corpus_entities, in_test_transaction, no_limit):
    import json

    answers = {text: json.loads(through_fast_path(environ(q(text)))[2]) for text in HITS + MISSES + ["", "a" * 600]}
    assert {answers[t]["kind"] for t in HITS} == {"phone", "website", "bank_account", "social"}
    assert {answers[t]["status"] for t in HITS} == {"confirmed", "verifying"}
    assert all(answers[t]["status"] == "no_reports" for t in MISSES)
    assert answers[""]["status"] == answers["a" * 600]["status"] == "unrecognised"
    confirmed = answers["0912 345 678"]
    assert confirmed["report_count"] == 2 and confirmed["tactic"] and confirmed["first_seen"]


@pytest.mark.parametrize("cookie", [None, "django_language=en"])
def test_a_limited_client_gets_the_same_429(corpus_entities, in_test_transaction, settings, cookie):
    settings.SCAMS_RATE_LIMITS = {"lookup": (3, 60)}
    extra = {"HTTP_COOKIE": cookie} if cookie else {}
    # Two clients with the same history, one through each path (they count in the same cache).
    django_answers = [through_django(environ(q("0912345678"), REMOTE_ADDR="10.0.0.1", **extra)) for _ in range(5)]
    fast_answers = [through_fast_path(environ(q("0912345678"), REMOTE_ADDR="10.0.0.2", **extra)) for _ in range(5)]
    assert fast_answers == django_answers
    assert [status for status, _h, _b in fast_answers] == ["200 OK"] * 3 + ["429 Too Many Requests"] * 2
    assert dict(fast_answers[-1][1])["Retry-After"] == "60"
    # A cached answer is still counted: the limit holds for a query the cache already knows.
    assert through_fast_path(environ(q("0912345678"), REMOTE_ADDR="10.0.0.2"))[0].startswith("429")


@pytest.mark.parametrize("changes", [
    {"X_FRAME_OPTIONS": "SAMEORIGIN", "SECURE_REFERRER_POLICY": "no-referrer, strict-origin",
     "SECURE_CROSS_ORIGIN_OPENER_POLICY": None, "SECURE_CONTENT_TYPE_NOSNIFF": False},
    {"SECURE_REFERRER_POLICY": ["origin", "no-referrer"], "SECURE_HSTS_SECONDS": 3600,
     "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True,
     "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
    {"SECURE_HSTS_SECONDS": 60, "SECURE_REFERRER_POLICY": None},
    {"USE_X_FORWARDED_HOST": True, "ALLOWED_HOSTS": ["tra-cuu.example.vn"]},
])
def test_security_headers_follow_the_settings_as_the_middleware_do(
    corpus_entities, in_test_transaction, no_limit, settings, changes
):
    for name, value in changes.items():
        setattr(settings, name, value)
    variants = [
        {}, {"wsgi.url_scheme": "https"}, {"HTTP_X_FORWARDED_PROTO": "https"},
        {"HTTP_X_FORWARDED_PROTO": "https, http"}, {"HTTP_X_FORWARDED_PROTO": "http"},
        {"HTTP_X_FORWARDED_HOST": "tra-cuu.example.vn"},
    ]
    answered = 0
    for extra in variants:
        env = environ(q("0912 345 678"), **extra)
        if fast_lookup.answer(env) is None:  # a Host this configuration does not allow: Django's 400
            assert through_django(environ(q("0912 345 678"), **extra))[0].startswith("400")
            continue
        assert_same(q("0912 345 678"), **extra)
        answered += 1
    assert answered >= 1


@pytest.mark.parametrize("extra", [
    {"REQUEST_METHOD": "POST"}, {"REQUEST_METHOD": "HEAD"}, {"REQUEST_METHOD": "get"},
    {"HTTP_HOST": "evil.example"}, {"HTTP_HOST": ""},
    {"HTTP_COOKIE": "sessionid=abc"}, {"HTTP_COOKIE": "csrftoken=bad; django_language=en"},
    {"QUERY_STRING": "&".join(["a=1"] * 1001)},
])
def test_what_the_fast_path_does_not_mirror_is_left_to_django(corpus_entities, in_test_transaction, no_limit, extra):
    env = environ(q("0912345678"))
    env.update(extra)
    assert fast_lookup.answer(env) is None


@pytest.mark.parametrize("changes", [
    {"SCAMS_LOOKUP_FAST_PATH": False},
    {"PREPEND_WWW": True},
    {"CSRF_USE_SESSIONS": True},
    {"MIDDLEWARE": [*fast_lookup.MIRRORED_MIDDLEWARE, "django.middleware.gzip.GZipMiddleware"]},
])
def test_settings_the_fast_path_does_not_mirror_turn_it_off(settings, in_test_transaction, changes, caplog):
    for name, value in changes.items():
        setattr(settings, name, value)
    with caplog.at_level(logging.WARNING, logger="congdongso.scams.fast_lookup"):
        assert fast_lookup.answer(environ(q("0912345678"))) is None
    assert "fast path off" in caplog.text


@pytest.mark.parametrize("proxy", [False, True])
def test_with_the_https_redirect_only_https_is_answered_here(
    corpus_entities, in_test_transaction, no_limit, settings, proxy
):
    # Production's settings: plain HTTP goes to Django, which redirects; HTTPS is answered here, the same.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    if proxy:
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    https = {"HTTP_X_FORWARDED_PROTO": "https"} if proxy else {"wsgi.url_scheme": "https"}
    assert fast_lookup.answer(environ(q("0912 345 678"))) is None
    assert through_django(environ(q("0912 345 678")))[0].startswith("301")
    status, headers, _body = assert_same(q("0912 345 678"), **https)
    assert status == "200 OK" and dict(headers)["Strict-Transport-Security"].startswith("max-age=31536000")
    # An exempt lookup path is served over HTTP by Django, so the fast path answers it too.
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/v1/scams/"]
    assert_same(q("0912 345 678"))


def test_the_shipped_settings_keep_the_fast_path_on(in_test_transaction, no_limit):
    assert fast_lookup.fast_lookup().off_because == ""
    match = resolve(fast_lookup.LOOKUP_PATH)
    assert (match.namespace, match.url_name) == ("api", "lookup")


def test_the_wsgi_application_sends_the_lookup_through_the_fast_path(monkeypatch, in_test_transaction, no_limit):
    calls = []
    real = fast_lookup.answer
    monkeypatch.setattr(fast_lookup, "answer", lambda env: calls.append(env["PATH_INFO"]) or real(env))
    seen = {}
    body = b"".join(wsgi.application(environ(q("0912345678")), lambda s, h, e=None: seen.update(status=s)))
    assert calls == [fast_lookup.LOOKUP_PATH] and seen["status"] == "200 OK" and b'"status"' in body
    response = wsgi.application(environ("", PATH_INFO="/health/"), lambda s, h, e=None: seen.update(status=s))
    response.close()
    assert calls == [fast_lookup.LOOKUP_PATH] and seen["status"] == "200 OK"


def test_a_failure_in_the_fast_path_is_answered_by_django_and_logs_no_query(
    monkeypatch, in_test_transaction, no_limit, caplog
):
    def broken(q):
        raise RuntimeError("database gone")

    monkeypatch.setattr(api, "lookup_json", broken)
    seen = {}
    with caplog.at_level(logging.DEBUG):
        response = wsgi.application(environ(q("0912 345 678")), lambda s, h, e=None: seen.update(status=s))
        response.close()
    assert seen["status"].startswith("500")  # Django's answer: the same code failed there too
    assert "fast path failed" in caplog.text
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "0912" not in logged and "345" not in logged


def test_cached_answers_keep_their_language(corpus_entities, in_test_transaction, no_limit):
    english = {"HTTP_COOKIE": "django_language=en"}
    for extra in [{}, english, {}, english]:
        got = assert_same(q("0912 345 678"), **extra)
        assert dict(got[1])["Content-Language"] == ("en" if extra else "vi")
    assert len(fast_lookup.fast_lookup().cache) == 2
