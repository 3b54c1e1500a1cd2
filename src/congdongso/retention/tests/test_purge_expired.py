"""The purge: scam-report contacts and access rows past their retention go, younger ones stay; the dry
run counts without changing anything; feedback contacts follow the feedback app's own rules."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from congdongso.audit.models import AccessChannel, AccessLog, AuditEvent
from congdongso.retention.registry import RetentionKind, register, unregister
from congdongso.retention.services import expired_purge
from congdongso.scams import identifiers
from congdongso.scams.models import Channel, Source
from congdongso.scams.models import Report as ScamReport
from congdongso.scams.services import report_submit

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
RETENTION = {"scam_report_contacts": 90, "access_log": 365}


def _scam_report(*, days_ago: int, decided_days_ago: int | None = None) -> ScamReport:
    with mock.patch("django.utils.timezone.now", return_value=NOW - dt.timedelta(days=days_ago)):
        report = report_submit(
            identifier=identifiers.phone("0912345678"), source=Source.PUBLIC, channel=Channel.CALL,
            details="Gọi giả danh công an", contact="0987 654 321", contact_consent=True,
        )
    if decided_days_ago is not None:
        ScamReport.objects.filter(pk=report.pk).update(decided_at=NOW - dt.timedelta(days=decided_days_ago))
    return report


def _access(*, days_ago: int) -> AccessLog:
    return AccessLog.objects.create(
        channel=AccessChannel.PAGE, what="household.detail", households=1, occurred_at=NOW - dt.timedelta(days=days_ago)
    )


@pytest.fixture
def aged(db):
    return {
        "old_pending": _scam_report(days_ago=100),
        "old_but_decided_lately": _scam_report(days_ago=200, decided_days_ago=30),
        "decided_long_ago": _scam_report(days_ago=200, decided_days_ago=95),
        "fresh": _scam_report(days_ago=10),
        "old_access": _access(days_ago=400),
        "recent_access": _access(days_ago=300),
    }


@override_settings(RETENTION_DAYS=RETENTION)
def test_a_dry_run_counts_per_kind_and_changes_nothing(aged):
    contacts_before = sorted(ScamReport.objects.values_list("pk", "contact"))
    counts = expired_purge(now=NOW, dry_run=True)
    assert counts["scam_report_contacts"] == 2 and counts["access_log"] == 1
    assert counts["feedback_contacts"] == 0
    assert sorted(ScamReport.objects.values_list("pk", "contact")) == contacts_before
    assert AccessLog.objects.count() == 2
    assert not AuditEvent.objects.filter(action="retention.purge").exists()


@override_settings(RETENTION_DAYS=RETENTION)
def test_the_purge_erases_what_is_past_retention_only(aged):
    counts = expired_purge(now=NOW)
    assert counts["scam_report_contacts"] == 2 and counts["access_log"] == 1
    erased = {pk for pk, contact in ScamReport.objects.values_list("pk", "contact") if not contact}
    assert erased == {aged["old_pending"].pk, aged["decided_long_ago"].pk}
    assert ScamReport.objects.get(pk=aged["old_pending"].pk).contact_consent_at is None
    # The report itself stays (its counts feed the lookup); only who sent it is gone.
    assert ScamReport.objects.count() == 4
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [aged["recent_access"].pk]
    events = {e.object_id: e.details for e in AuditEvent.objects.filter(action="retention.purge")}
    assert events["scam_report_contacts"] == {"count": 2, "days": 90}
    # Run again: nothing left to do, nothing more in the trail.
    assert set(expired_purge(now=NOW).values()) == {0}
    assert AuditEvent.objects.filter(action="retention.purge").count() == 2


@override_settings(RETENTION_DAYS={"scam_report_contacts": 365, "access_log": 365})
def test_a_longer_retention_keeps_more(aged):
    assert expired_purge(now=NOW, dry_run=True)["scam_report_contacts"] == 0


@override_settings(RETENTION_DAYS=RETENTION)
def test_the_command_prints_each_kind(aged):
    out = io.StringIO()
    with mock.patch("congdongso.retention.services.timezone.now", return_value=NOW):
        call_command("purge_expired", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "scam_report_contacts" in text and "2 bản ghi sẽ bị xóa" in text
    assert "access_log" in text and "1 bản ghi sẽ bị xóa" in text
    assert "feedback_contacts" in text
    assert ScamReport.objects.exclude(contact="").count() == 4


@pytest.mark.django_db
def test_another_app_can_register_a_kind_and_a_failing_kind_does_not_stop_the_others():
    calls = []

    def broken(now):
        raise RuntimeError("boom")

    register(RetentionKind(name="zz_closed_cases", label="x", days=lambda: 1, due=lambda now: 7,
                           purge=lambda now: calls.append(now) or 7))
    register(RetentionKind(name="aa_broken", label="y", days=lambda: 1, due=broken, purge=broken))
    try:
        counts = expired_purge(now=timezone.now())
    finally:
        unregister("zz_closed_cases")
        unregister("aa_broken")
    assert counts["zz_closed_cases"] == 7 and counts["aa_broken"] == -1 and len(calls) == 1
