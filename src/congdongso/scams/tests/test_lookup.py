"""The public lookup: one box, one indexed query, status, report count, tactic and advice from data."""

import pytest
from django.urls import reverse

from congdongso.scams import identifiers, services
from congdongso.scams.lookup import lookup
from congdongso.scams.models import Channel, Entity, Report, ReportStatus, Source, Status, StatusAdvice

pytestmark = pytest.mark.django_db


def _report(raw: str, *, confirm: bool = False, tactic=None, actor=None):
    report = services.report_submit(
        identifier=identifiers.parse_query(raw).identifiers[0], source=Source.PUBLIC, channel=Channel.CALL,
        tactic=tactic,
    )
    if confirm:
        services.report_decide(report=report, confirm=True, reason="Đã xác minh với công an", actor=actor)
    return report


def test_the_api_answers_status_count_tactic_and_advice(client, world, starter_tactics):
    tactic = starter_tactics["gia-danh-co-quan-chuc-nang"]
    _report("0912 345 678", tactic=tactic, confirm=True, actor=world["admin"])
    _report("+84912345678")

    body = client.get("/api/v1/scams/lookup", {"q": "(091) 2345678"}).json()
    assert body["status"] == "confirmed" and body["status_label"] == "Lừa đảo"
    assert body["kind"] == "phone" and body["value"] == "0912 345 678"
    assert body["report_count"] == 2
    assert body["tactic"] == tactic.name
    advice = StatusAdvice.objects.get(status=Status.CONFIRMED).advice
    assert body["advice"] == advice + "\n" + tactic.advice
    assert body["first_seen"] and body["last_seen"]


def test_unknown_verifying_and_unrecognised(client, starter_tactics):
    _report("lua-dao-thu.vn")
    unknown = client.get("/api/v1/scams/lookup", {"q": "0987 654 321"}).json()
    assert (unknown["status"], unknown["report_count"]) == ("no_reports", 0)
    assert unknown["advice"] == StatusAdvice.objects.get(status=Status.NO_REPORTS).advice
    verifying = client.get("/api/v1/scams/lookup", {"q": "https://WWW.lua-dao-thu.vn/nhan-qua?x=1"}).json()
    assert (verifying["status"], verifying["report_count"]) == ("verifying", 1)
    for q in ["", "xin chào", "\x00", "a" * 600]:
        body = client.get("/api/v1/scams/lookup", {"q": q}).json()
        assert body["status"] == "unrecognised" and body["recognised"] is False


def test_a_reported_domain_covers_its_subdomains(client):
    _report("vietcombank-xacminh.com")
    body = client.get("/api/v1/scams/lookup", {"q": "https://dang-nhap.vietcombank-xacminh.com/otp"}).json()
    assert body["status"] == "verifying"
    assert body["value"] == "vietcombank-xacminh.com"


def test_an_account_number_without_its_bank_finds_the_account(client):
    services.report_submit(
        identifier=identifiers.bank_account("970415", "1234567890"), source=Source.PUBLIC, channel=Channel.SMS
    )
    body = client.get("/api/v1/scams/lookup", {"q": "1234 567 890"}).json()
    assert body["status"] == "verifying" and body["kind"] == "bank_account"
    assert body["value"] == "VietinBank · 1234567890"


def test_a_lookup_is_one_query(django_assert_num_queries, starter_tactics):
    _report("0912345678")
    lookup("0912345678")  # status advice now cached
    for q in ["0912 345 678", "https://sub.example.vn/x", "Vietcombank 0123456789", "nothing to see"]:
        with django_assert_num_queries(0 if q == "nothing to see" else 1):
            lookup(q)


def test_a_merged_duplicate_answers_like_its_target(client, world):
    a = _report("facebook.com/nguyen.van.a.123").entity
    b = _report("facebook.com/profile.php?id=100099").entity
    services.report_decide(report=Report.objects.get(entity=a), confirm=True, reason="Đã xác minh", actor=world["admin"])
    services.entity_merge(source=b, target=a, actor=world["admin"])
    body = client.get("/api/v1/scams/lookup", {"q": "https://m.facebook.com/profile.php?id=100099"}).json()
    assert body["status"] == "confirmed" and body["report_count"] == 2
    assert Entity.objects.get(pk=b.pk).merged_into_id == a.pk
    assert Report.objects.filter(entity=a, status=ReportStatus.PENDING).count() == 1


def test_the_lookup_page_needs_no_login_and_speaks_vietnamese(client):
    _report("0912345678")
    page = client.get(reverse("scams:lookup"))
    assert page.status_code == 200 and "Tra cứu lừa đảo" in page.content.decode()
    html = client.get(reverse("scams:lookup"), {"q": "0912.345.678"}).content.decode()
    assert 'data-status="verifying"' in html and "Đang xác minh" in html and "1 phản ánh" in html
    html = client.get(reverse("scams:lookup"), {"q": "???"}).content.decode()
    assert "Không nhận ra nội dung tra cứu" in html
    html = client.get(reverse("scams:lookup"), {"q": ""}).content.decode()
    assert "Hãy nhập điều bạn muốn tra cứu." in html
