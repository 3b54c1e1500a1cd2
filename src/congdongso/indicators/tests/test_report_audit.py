"""Every export is audited, with ids and codes only: a report made in the request, a queued report,
and each download of a background report's file. A refused form writes nothing."""

import pytest
from django.test import override_settings
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.indicators.models import ReportJob
from congdongso.indicators.tests.report_helpers import content_of, report_post

pytestmark = pytest.mark.django_db


def _post(client, unit, **kwargs):
    return client.post(reverse("indicators:report", args=[unit.pk]), report_post(**kwargs))


def test_a_report_made_in_the_request_is_audited(client, report_world):
    w = report_world
    client.force_login(w["officer_a"])
    before = AuditEvent.objects.count()
    content_of(_post(client, w["a"], month="2026-01", fmt="csv"))
    event = AuditEvent.objects.get(action="report.export")
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor_id, event.object_type, event.object_id, event.unit_id) == (
        w["officer_a"].pk, "geo.unit", str(w["a"].pk), w["a"].pk
    )
    assert event.details == {"period": "2026-01", "format": "csv", "rows": 3}


def test_a_background_report_is_audited_when_queued_and_when_downloaded(client, report_world):
    w = report_world
    client.force_login(w["officer"])
    with override_settings(REPORT_SYNC_MAX_ROWS=1):
        _post(client, w["province"], kind="quarter", quarter=1, year=2026)
    job = ReportJob.objects.get()
    queued = AuditEvent.objects.get(action="report.queue")
    assert (queued.object_type, queued.object_id, queued.unit_id) == ("indicators.reportjob", str(job.pk), w["province"].pk)
    assert queued.details == {"period": "2026-Q1", "format": "xlsx", "rows": 6}
    assert not AuditEvent.objects.filter(action="report.export").exists()

    for _ in range(2):
        assert client.get(reverse("indicators:report_download", args=[job.pk])).status_code == 200
    downloads = AuditEvent.objects.filter(action="report.download")
    assert downloads.count() == 2
    assert downloads.first().details == {"period": "2026-Q1", "format": "xlsx", "bytes": job.file_size}
    assert {e.actor_id for e in downloads} == {w["officer"].pk}


def test_nothing_is_audited_for_a_refused_form_or_a_page_view(client, report_world):
    w = report_world
    client.force_login(w["officer_a"])
    before = AuditEvent.objects.count()
    client.get(reverse("indicators:report", args=[w["a"].pk]))
    _post(client, w["a"], month="99/2026")
    assert AuditEvent.objects.count() == before
