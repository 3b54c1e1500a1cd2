"""Reports from residents (no login) and members: honeypot, consent, size limits, and the unit they came from."""

import pytest
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.scams.models import Entity, Report, ReportStatus, Source, Status
from congdongso.scams.tests.conftest import scams_state

pytestmark = pytest.mark.django_db

URL = "/scams/report/"
OK = {"kind": "phone", "value": "0912 345 678", "channel": "call", "details": "Gọi xưng công an, đòi chuyển tiền."}


def test_a_resident_reports_a_number_without_logging_in(client, world):
    response = client.post(URL, {**OK, "province": world["province"].pk})
    assert response.status_code == 302 and response["Location"] == reverse("scams:report_sent")
    report = Report.objects.get()
    assert (report.source, report.status, report.unit, report.reporter) == (
        Source.PUBLIC, ReportStatus.PENDING, world["province"], None,
    )
    assert (report.contact, report.contact_consent_at) == ("", None)
    entity = report.entity
    assert (entity.key, entity.status, entity.report_count) == ("phone:+84912345678", Status.VERIFYING, 1)
    assert "Cảm ơn bạn đã phản ánh" in client.get(response["Location"]).content.decode()


def test_a_second_report_in_another_form_counts_on_the_same_entity(client):
    client.post(URL, OK)
    client.post(URL, {**OK, "value": "+84 912345678"})
    assert Entity.objects.get().report_count == 2


def test_the_audit_trail_holds_no_personal_data(client, world):
    client.post(URL, {**OK, "contact": "chị Hoa 0987654321", "consent": "on"})
    event = AuditEvent.objects.get(action="scam_report.submit")
    flat = repr(event.details)
    assert "0987654321" not in flat and "912345678" not in flat and "Hoa" not in flat
    assert event.details["with_contact"] is True


def test_contact_needs_explicit_consent_which_is_never_pre_ticked(client):
    page = client.get(URL).content.decode()
    assert 'name="consent"' in page and "checked" not in page.split('name="consent"')[0].rsplit("<input", 1)[-1]
    before = scams_state()
    refused = client.post(URL, {**OK, "contact": "0987654321"})
    assert refused.status_code == 200
    assert "Cần đánh dấu đồng ý nếu bạn muốn để lại thông tin liên hệ." in refused.content.decode()
    assert scams_state() == before
    client.post(URL, {**OK, "contact": "0987654321", "consent": "on"})
    report = Report.objects.get()
    assert report.contact == "0987654321" and report.contact_consent_at is not None


def test_the_honeypot_drops_the_report_quietly(client):
    before = scams_state()
    response = client.post(URL, {**OK, "website_url": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == reverse("scams:report_sent")
    assert scams_state() == before


def test_an_oversized_post_is_refused_in_vietnamese(client):
    before = scams_state()
    response = client.post(URL, {**OK, "details": "x" * 20_000})
    assert response.status_code == 413
    assert "Nội dung gửi lên quá lớn" in response.content.decode()
    assert scams_state() == before


def test_a_member_report_carries_the_team_unit(client, world):
    client.force_login(world["member"])
    page = client.get(URL).content.decode()
    assert 'name="province"' not in page
    client.post(URL, {**OK, "kind": "website", "value": "http://lua-dao-thu.vn/x"})
    report = Report.objects.get()
    assert (report.source, report.unit, report.reporter) == (Source.MEMBER, world["village"], world["member"])


def test_a_bank_account_and_a_social_account(client):
    client.post(URL, {**OK, "kind": "bank_account", "value": "0123 456 789", "bank": "970436"})
    client.post(URL, {**OK, "kind": "social", "value": "https://www.facebook.com/shop.gia.re", "platform": "facebook"})
    assert set(Entity.objects.values_list("key", flat=True)) == {"bank:970436:0123456789", "social:facebook:shopgiare"}
