"""The fast path's answer cache: kept for seconds, bounded, and a stale answer stays within its TTL.

And the query string reading of the fast path equals QueryDict + django-ninja's for any input.
"""

import json
import uuid

import pytest
from django.http import QueryDict
from hypothesis import given, settings as hypothesis_settings, strategies as st

from congdongso.scams import fast_lookup, identifiers, services
from congdongso.scams.fast_lookup import AnswerCache
from congdongso.scams.lookup import parse
from congdongso.scams.models import Channel, Source


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_an_answer_is_kept_for_its_seconds_only():
    clock = Clock()
    cache = AnswerCache(5, 100, clock=clock)
    cache.put("a", "answer")
    assert cache.get("a") == "answer"
    clock.now += 4.9
    assert cache.get("a") == "answer"
    clock.now += 0.2
    assert cache.get("a") is None
    cache.put("a", "fresh")
    assert cache.get("a") == "fresh"


def test_the_cache_is_bounded_and_the_oldest_leaves_first():
    cache = AnswerCache(60, 3, clock=Clock())
    for key in "abcd":
        cache.put(key, key.upper())
    assert len(cache) == 3
    assert [cache.get(k) for k in "abcd"] == [None, "B", "C", "D"]
    cache.put("b", "B2")  # a refreshed entry moves to the back
    cache.put("e", "E")
    assert [cache.get(k) for k in "bcde"] == ["B2", None, "D", "E"]


def test_zero_seconds_or_size_keeps_nothing():
    for cache in (AnswerCache(0, 10, clock=Clock()), AnswerCache(5, 0, clock=Clock())):
        cache.put("a", "A")
        assert cache.get("a") is None and len(cache) == 0


@pytest.mark.django_db
def test_a_stale_answer_lasts_at_most_the_ttl(starter_tactics, monkeypatch, settings):
    from congdongso.scams.tests.test_fast_lookup_equivalence import environ, q

    monkeypatch.setattr(fast_lookup, "close_old_connections", lambda: None)
    settings.SCAMS_RATE_LIMITS = {"lookup": None}
    settings.SCAMS_LOOKUP_CACHE_SECONDS = 5
    fast_lookup.forget()
    clock = Clock()
    fast_lookup.fast_lookup().cache.clock = clock

    def status():
        return json.loads(fast_lookup.answer(environ(q("0912 345 678")))[2])["status"]

    assert status() == "no_reports"
    services.report_submit(identifier=identifiers.phone("0912345678"), source=Source.PUBLIC, channel=Channel.CALL)
    clock.now += 4
    assert status() == "no_reports"  # the kept answer, within its 5 seconds
    clock.now += 1.5
    assert status() == "verifying"
    fast_lookup.forget()


@pytest.mark.django_db
def test_without_the_cache_every_answer_is_fresh(starter_tactics, monkeypatch, settings):
    from congdongso.scams.tests.test_fast_lookup_equivalence import environ, q

    monkeypatch.setattr(fast_lookup, "close_old_connections", lambda: None)
    settings.SCAMS_RATE_LIMITS = {"lookup": None}
    settings.SCAMS_LOOKUP_CACHE_SECONDS = 0
    first = json.loads(fast_lookup.answer(environ(q("0912 345 678")))[2])
    services.report_submit(identifier=identifiers.phone("0912345678"), source=Source.PUBLIC, channel=Channel.CALL)
    second = json.loads(fast_lookup.answer(environ(q("0912 345 678")))[2])
    assert (first["status"], second["status"]) == ("no_reports", "verifying")
    assert len(fast_lookup.fast_lookup().cache) == 0
    fast_lookup.forget()


def _ninja_q(query_string: str) -> str | None:
    """What Django + django-ninja read: WSGIRequest.GET, the last value of q, "" when absent."""
    try:
        params = QueryDict(query_string.encode("iso-8859-1"))
    except Exception:
        return None
    return params["q"] if "q" in params else ""


_PIECES = st.sampled_from(["q", "=", "&", "%", "+", "%2", "%20", "%2B", "%FF", "%C3%A0", "%E1%BB%AB", ";", "Q",
                           "0912", " ", "a", "é", "\x00", "x"])


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(_PIECES, max_size=12).map("".join), st.text(max_size=30).map(lambda t: "q=" + t)))
def test_the_query_string_is_read_as_django_and_ninja_read_it(raw):
    try:
        raw.encode("iso-8859-1")
    except UnicodeEncodeError:
        return  # WSGI carries the query string as latin-1: no server hands over anything else
    with_fast = fast_lookup.FastLookup()._q(raw)
    assert with_fast == _ninja_q(raw)


def test_the_lookup_remembers_parsed_inputs_and_they_equal_a_fresh_parse():
    nonce = f"{uuid.uuid4().int % 10**6:06d}"
    inputs = [f"0912 {nonce[:3]} {nonce[3:]}", f"https://WWW.ex{nonce}.vn/x?y", f"Vietcombank 0123{nonce}",
              f"@nguyenvana{nonce}", nonce * 50]
    before = parse.cache_info().hits
    for text in inputs * 2:
        assert parse(text) == identifiers.parse_query(text)
    assert parse.cache_info().hits - before == 4  # the long input is not kept
