"""Abuse controls without third parties: per-client rate limits with a Vietnamese 429, a honeypot,
size limits."""

import html

import pytest
from django.urls import reverse

from congdongso.feedback.models import Report

pytestmark = pytest.mark.django_db

URL = reverse("feedback:submit")


def good(world, **extra):
    return {
        "action": "send", "category": "other", "unit": world["village"].pk,
        "text": "Đèn đường ở đầu thôn bị hỏng đã lâu.", **extra,
    }


def test_submissions_are_limited_per_client_with_a_vietnamese_429(client, world, settings):
    settings.FEEDBACK_RATE_LIMITS = {"submit": (2, 3600)}
    for _ in range(2):
        assert client.post(URL, good(world), REMOTE_ADDR="10.0.0.1").status_code == 302
    limited = client.post(URL, good(world), REMOTE_ADDR="10.0.0.1")
    assert limited.status_code == 429
    assert "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn" in html.unescape(limited.content.decode())
    assert limited["Retry-After"] == "3600"
    assert Report.objects.count() == 2
    # Another client is not affected.
    assert client.post(URL, good(world), REMOTE_ADDR="10.0.0.2").status_code == 302


def test_repeated_posts_of_any_kind_are_limited(client, world, settings):
    settings.FEEDBACK_RATE_LIMITS = {"post": (3, 600)}
    for _ in range(3):
        assert client.post(URL, {"action": "find", "place_query": "dong"}).status_code == 200
    assert client.post(URL, {"action": "find", "place_query": "dong"}).status_code == 429


def test_a_filled_honeypot_stores_nothing_and_counts_against_the_limit(client, world, settings):
    settings.FEEDBACK_RATE_LIMITS = {"submit": (1, 3600)}
    response = client.post(URL, good(world, website="http://spam.example"))
    assert response.status_code == 200
    assert "Không gửi được phản ánh" in html.unescape(response.content.decode())
    assert Report.objects.count() == 0
    assert client.post(URL, good(world)).status_code == 429


def test_the_place_search_answers_json_and_is_limited(client, world, settings):
    url = reverse("feedback:places")
    found = client.get(url, {"q": "thon dong"}).json()["results"]
    assert [item["id"] for item in found] == [world["village"].pk]
    assert found[0]["label"] == "Thôn Đông, Xã An Bình, Tỉnh Thử Nghiệm"
    assert client.get(url, {"q": "a"}).json() == {"results": []}
    assert client.get(url, {"q": "\x00" * 500}).status_code == 200
    settings.FEEDBACK_RATE_LIMITS = {"places": (1, 60)}
    limited = client.get(url, {"q": "dong"})
    assert limited.status_code == 429 and "thử lại" in limited.json()["error"]["message"]


def test_the_place_search_by_link_is_limited_too(client, world, settings):
    assert client.get(URL, {"place": "thon dong"}).status_code == 200
    assert client.get(URL).status_code == 200  # no search: not counted
    settings.FEEDBACK_RATE_LIMITS = {"places": (1, 60)}
    limited = client.get(URL, {"place": "dong"})
    assert limited.status_code == 429 and "thử lại" in limited.content.decode()
    assert client.get(URL).status_code == 200


def test_status_lookups_are_limited(client, world, settings, submit_report):
    report = submit_report(world["village"])
    settings.FEEDBACK_RATE_LIMITS = {"status": (2, 600)}
    url = reverse("feedback:status", args=[report.code])
    assert client.get(url).status_code == 200
    assert client.get(reverse("feedback:status_lookup"), {"code": "ZZZZZZZZ"}).status_code == 200
    assert client.get(url).status_code == 429


def test_oversized_fields_are_refused_not_truncated(client, world):
    response = client.post(URL, good(world, text="Nội dung " * 400, contact_phone="0" * 500, contact_consent="on"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Nội dung tối đa 2000 ký tự" in page and "Số điện thoại không hợp lệ" in page
    assert Report.objects.count() == 0
