"""Reports above settings.REPORT_SYNC_MAX_ROWS are built by a background task: the page queues a
ReportJob, its status page refreshes itself and shows progress, and offers the file when done —
kept for a limited time."""

import datetime as dt
import io
import signal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from congdongso.indicators import reports
from congdongso.indicators.models import Indicator, ReportJob, ReportStatus
from congdongso.indicators.reports import ReportPeriod, report_job_run, report_jobs_expire
from congdongso.indicators.tests.report_helpers import csv_table, open_xlsx, report_post, sheet_table
from congdongso.testing.forms import page_text

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SMALL = {"REPORT_SYNC_MAX_ROWS": 5}  # the province's report has 6 rows: 1 + 2 communes + 3 villages


def run_worker_once() -> None:
    """`congdongso db_worker --batch`: run what is queued, then return (as households' import test)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.django_db
def test_a_small_report_is_made_in_the_request(client, report_world):
    w = report_world
    client.force_login(w["officer"])
    with override_settings(REPORT_SYNC_MAX_ROWS=6):
        response = client.post(reverse("indicators:report", args=[w["province"].pk]), report_post(month="2026-01"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert not ReportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_a_large_report_and_the_worker_builds_it(client, report_world):
    w = report_world
    month = w["quarter"].months[0]
    client.force_login(w["officer"])
    with override_settings(TASKS=DATABASE_TASKS, **SMALL):
        response = client.post(
            reverse("indicators:report", args=[w["province"].pk]), report_post(month=month, fmt="csv")
        )
        job = ReportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("indicators:report_job", args=[job.pk])
        assert (job.status, job.total_rows, job.done_rows, job.period, job.format) == (
            ReportStatus.QUEUED, 6, 0, month, "csv"
        )
        assert DBTaskResult.objects.get().task_path == "congdongso.indicators.tasks.build_report_task"
        waiting = page_text(client.get(response["Location"]))
        assert 'http-equiv="refresh"' in waiting and "Đang chờ đến lượt" in waiting and "<progress" in waiting
        assert reverse("indicators:report_download", args=[job.pk]) not in waiting

        run_worker_once()

    job.refresh_from_db()
    assert (job.status, job.done_rows, job.total_rows) == (ReportStatus.DONE, 6, 6)
    assert job.file_size > 0 and job.expires_at > timezone.now() + dt.timedelta(hours=23)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    done = page_text(client.get(response["Location"]))
    assert 'http-equiv="refresh"' not in done and "Đã xong" in done
    download = client.get(reverse("indicators:report_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="bao-cao-{w["province"].code}-{month}.csv"'
    _, rows = csv_table(download.content)
    assert rows[w["a"].code][Indicator.objects.get(code="households").name] == "5"


@pytest.mark.django_db
def test_with_the_immediate_backend_the_job_is_done_and_its_xlsx_downloads(client, report_world):
    w = report_world
    client.force_login(w["officer"])
    with override_settings(**SMALL):
        response = client.post(reverse("indicators:report", args=[w["province"].pk]), report_post(month="2026-01"))
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.status == ReportStatus.DONE
    status = page_text(client.get(response["Location"]))
    assert reverse("indicators:report_download", args=[job.pk]) in status
    book = open_xlsx(client.get(reverse("indicators:report_download", args=[job.pk])).content)
    assert book.sheetnames == ["Tỉnh, thành phố", "Xã, phường, đặc khu", "Thôn, tổ dân phố"]
    assert len(sheet_table(book["Thôn, tổ dân phố"])) == 3
    # The report page lists the user's jobs for the unit.
    listing = page_text(client.get(reverse("indicators:report", args=[w["province"].pk])))
    assert reverse("indicators:report_job", args=[job.pk]) in listing


@pytest.mark.django_db
def test_progress_is_recorded_while_the_rows_are_built(client, report_world, monkeypatch):
    w = report_world
    monkeypatch.setattr(reports, "CHUNK", 1)
    monkeypatch.setattr(reports, "PROGRESS_EVERY_SECONDS", 0)
    job = ReportJob.objects.create(unit=w["province"], period="2026-01", format="xlsx", created_by=w["officer"])
    client.force_login(w["officer"])
    seen, pages = [], []
    real_unit_values = reports.unit_values

    def spying_unit_values(*args, **kwargs):
        current = ReportJob.objects.get(pk=job.pk)
        seen.append((current.status, current.done_rows, current.total_rows))
        if current.done_rows == 3:
            pages.append(page_text(client.get(reverse("indicators:report_job", args=[job.pk]))))
        return real_unit_values(*args, **kwargs)

    monkeypatch.setattr(reports, "unit_values", spying_unit_values)
    assert report_job_run(job_id=job.pk) == ReportStatus.DONE
    assert seen == [(ReportStatus.RUNNING, done, 6) for done in range(6)]
    assert "3/6 dòng (50%)" in pages[0] and 'value="3" max="6"' in pages[0] and 'http-equiv="refresh"' in pages[0]


@pytest.mark.django_db
def test_a_job_runs_once_and_a_failure_is_shown(client, report_world, monkeypatch):
    w = report_world
    job = ReportJob.objects.create(unit=w["a"], period="2026-Q1", format="csv", created_by=w["officer_a"])
    assert report_job_run(job_id=job.pk) == ReportStatus.DONE
    assert report_job_run(job_id=job.pk) == ""

    broken = ReportJob.objects.create(unit=w["a"], period="2026-02", format="xlsx", created_by=w["officer_a"])
    monkeypatch.setattr(reports, "report_bytes", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        report_job_run(job_id=broken.pk)
    broken.refresh_from_db()
    assert broken.status == ReportStatus.FAILED and broken.file_size == 0
    client.force_login(w["officer_a"])
    text = page_text(client.get(reverse("indicators:report_job", args=[broken.pk])))
    assert "Có lỗi khi lập báo cáo" in text and 'http-equiv="refresh"' not in text


@pytest.mark.django_db
def test_the_file_is_kept_for_a_limited_time(client, report_world):
    w = report_world
    job = ReportJob.objects.create(unit=w["a"], period="2026-03", format="csv", created_by=w["officer_a"])
    report_job_run(job_id=job.pk)
    client.force_login(w["officer_a"])
    ReportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    gone = client.get(reverse("indicators:report_download", args=[job.pk]), follow=True)
    assert "Không còn tệp để tải" in page_text(gone)
    assert "Tệp đã quá thời hạn lưu" in page_text(gone)
    assert report_jobs_expire() == 1
    job.refresh_from_db()
    assert bytes(job.file_data) == b"" and job.file_size == 0 and job.status == ReportStatus.DONE
    assert ReportPeriod.parse(job.period).code == "2026-03"
