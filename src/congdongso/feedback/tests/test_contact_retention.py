"""Contact details go when the case closes, after a retention period otherwise, and when the
household behind the report withdraws consent; `purge_feedback_contacts --dry-run` says what it
would erase and erases nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.feedback.models import Change, Report, Status
from congdongso.feedback.services import report_assign, report_household_set, report_status_set

pytestmark = pytest.mark.django_db

CONTACT = {"contact_name": "Bà Lan", "contact_phone": "0912345678", "contact_consent": True}


def contact_of(report):
    report.refresh_from_db()
    return (report.contact_name, report.contact_phone, report.contact_consent_at is not None)


def test_closing_or_rejecting_erases_the_contact_at_once(world, submit_report):
    closed = submit_report(world["village"], category="other", **CONTACT)
    report_status_set(report=closed, status=Status.RESOLVED, actor_id=None)
    assert contact_of(closed) == ("Bà Lan", "+84912345678", True)
    report_status_set(report=closed, status=Status.CLOSED, actor_id=world["officer_a"].pk)
    assert contact_of(closed) == ("", "", False) and closed.contact_erased_at is not None
    assert closed.history.filter(change=Change.CONTACT_ERASED).exists()
    assert AuditEvent.objects.filter(action="feedback.contact_erase", object_id=str(closed.pk)).exists()

    rejected = submit_report(world["village"], category="other", **CONTACT)
    report_status_set(report=rejected, status=Status.REJECTED, reason="Trùng.", actor_id=None)
    assert contact_of(rejected) == ("", "", False)


def run(*args) -> str:
    out = StringIO()
    call_command("purge_feedback_contacts", *args, stdout=out)
    return out.getvalue()


def test_the_purge_command_reports_then_erases_by_retention(world, submit_report, settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 30
    settings.FEEDBACK_CONTACT_MAX_DAYS = 365
    fresh = submit_report(world["village"], category="other", **CONTACT)
    resolved_long_ago = submit_report(world["village"], category="other", **CONTACT)
    report_status_set(report=resolved_long_ago, status=Status.RESOLVED, actor_id=None)
    Report.objects.filter(pk=resolved_long_ago.pk).update(resolved_at=timezone.now() - dt.timedelta(days=31))
    forgotten = submit_report(world["village"], category="other", **CONTACT)
    Report.objects.filter(pk=forgotten.pk).update(created_at=timezone.now() - dt.timedelta(days=366))
    without_contact = submit_report(world["village"], category="other")
    Report.objects.filter(pk=without_contact.pk).update(created_at=timezone.now() - dt.timedelta(days=400))

    dry = run("--dry-run")
    assert "Sẽ xóa thông tin liên hệ của 2 phản ánh" in dry and "1 đã giải quyết quá 30 ngày" in dry
    assert "1 gửi quá 365 ngày" in dry and "Chạy thử" in dry
    assert contact_of(resolved_long_ago)[0] == "Bà Lan" and contact_of(forgotten)[0] == "Bà Lan"

    assert "Đã xóa thông tin liên hệ của 2 phản ánh" in run()
    assert contact_of(resolved_long_ago) == ("", "", False)
    assert contact_of(forgotten) == ("", "", False)
    assert contact_of(fresh) == ("Bà Lan", "+84912345678", True)
    assert "của 0 phản ánh" in run("--dry-run")


def test_a_household_withdrawing_consent_takes_the_reports_contact_with_it(world, submit_report):
    from congdongso.households.services import consent_withdraw

    report = submit_report(world["village"], **CONTACT)
    report_assign(report=report, team=world["team"], actor_id=None)
    report_household_set(report=report, household=world["household"], actor_id=None)
    consent_withdraw(household=world["household"], actor_id=None)
    assert contact_of(report) == ("", "", False)
