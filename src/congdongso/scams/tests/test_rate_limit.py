"""Per-client rate limits on the public pages answer 429 with a Vietnamese message, never a 500."""

import pytest

from congdongso.scams.models import Report

pytestmark = pytest.mark.django_db

REPORT = {"kind": "phone", "value": "0912 345 678", "channel": "call"}
MESSAGE = "Vui lòng thử lại sau"


def test_the_report_form_is_limited_per_client(client, settings):
    settings.SCAMS_RATE_LIMITS = {"report": (3, 600)}
    for _ in range(3):
        assert client.post("/scams/report/", REPORT).status_code == 302
    limited = client.post("/scams/report/", REPORT)
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn" in html and MESSAGE in html and "10 phút" in html
    assert limited["Retry-After"] == "600"
    assert Report.objects.count() == 3
    # Another client is not affected.
    assert client.post("/scams/report/", REPORT, REMOTE_ADDR="10.9.8.7").status_code == 302


def test_the_lookup_api_answers_429_in_the_one_error_shape(client, settings):
    settings.SCAMS_RATE_LIMITS = {"lookup": (2, 60)}
    assert client.get("/api/v1/scams/lookup", {"q": "0912345678"}).status_code == 200
    assert client.get("/api/v1/scams/lookup", {"q": "0912345678"}).status_code == 200
    limited = client.get("/api/v1/scams/lookup", {"q": "0912345678"})
    assert limited.status_code == 429
    error = limited.json()["error"]
    assert error["code"] == "rate_limited" and MESSAGE in error["message"]
    page = client.get("/scams/", {"q": "0912345678"})
    assert page.status_code == 429 and MESSAGE in page.content.decode()


def test_the_message_checker_is_limited_too(client, settings):
    settings.SCAMS_RATE_LIMITS = {"check": (1, 600)}
    assert client.post("/scams/check/", {"message": "xin chào"}).status_code == 200
    assert client.post("/scams/check/", {"message": "xin chào"}).status_code == 429
    api = client.post("/api/v1/scams/check", {"message": "xin chào"}, content_type="application/json")
    assert api.status_code == 429 and api.json()["error"]["code"] == "rate_limited"


def test_a_limit_can_be_switched_off(client, settings):
    settings.SCAMS_RATE_LIMITS = {"lookup": None}
    for _ in range(200):
        assert client.get("/api/v1/scams/lookup", {"q": "x"}).status_code == 200
