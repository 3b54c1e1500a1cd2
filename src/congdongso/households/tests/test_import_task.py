"""The import runs as a background task: with the database backend the upload only queues it and
`congdongso db_worker` runs it; a task that fails half-way leaves nothing of the file behind."""

import io
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from congdongso.households import importing
from congdongso.households.models import ConsentRecord, Household, ImportJob, ImportStatus, Resident
from congdongso.testing.forms import page_text
from congdongso.testing.household_lists import HOUSEHOLD_HEADER, RESIDENT_HEADER, csv_bytes, household_rows

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def upload_for(world, count: int = 20) -> dict:
    households, residents = household_rows([world["village_a"].code, world["village_a2"].code], count)
    return {
        "file": SimpleUploadedFile("ho.csv", csv_bytes(HOUSEHOLD_HEADER, households)),
        "residents_file": SimpleUploadedFile("nk.csv", csv_bytes(RESIDENT_HEADER, residents)),
    }


def run_worker_once() -> None:
    """`congdongso db_worker --batch`: run what is queued, then return. The worker installs its own
    signal handlers; the test process gets its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_import_and_the_worker_runs_it(client, world):
    client.force_login(world["officer_a"])
    with override_settings(TASKS=DATABASE_TASKS):
        response = client.post(reverse("households:import_new", args=[world["a"].pk]), upload_for(world))
        job = ImportJob.objects.get()
        assert response.status_code == 302
        assert job.status == ImportStatus.QUEUED and not Household.objects.exists()
        assert DBTaskResult.objects.get().task_path == "congdongso.households.tasks.import_households_task"
        assert 'http-equiv="refresh"' in page_text(client.get(response["Location"]))

        run_worker_once()

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.households_created == 20
    assert Household.objects.count() == 20 and Resident.objects.count() == job.residents_created > 0
    assert bytes(job.file_data) == b"" and job.finished_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    text = page_text(client.get(response["Location"]))
    assert "Đã nhập xong" in text and 'http-equiv="refresh"' not in text


@pytest.mark.django_db
def test_a_task_failing_while_saving_leaves_nothing_half_imported(client, world, monkeypatch):
    real_insert = importing.bulk_insert

    def failing_insert(model, fields, rows, **kwargs):
        if model is Resident:  # households and consents are already inserted by now
            raise RuntimeError("disk full")
        return real_insert(model, fields, rows, **kwargs)

    monkeypatch.setattr(importing, "bulk_insert", failing_insert)
    client.force_login(world["officer_a"])
    response = client.post(reverse("households:import_new", args=[world["a"].pk]), upload_for(world))

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and bytes(job.file_data) == b""
    assert (Household.objects.count(), ConsentRecord.objects.count(), Resident.objects.count()) == (0, 0, 0)
    assert "Lỗi hệ thống khi nhập: không dòng nào được lưu." in page_text(client.get(response["Location"]))


@pytest.mark.django_db
def test_a_job_runs_once(world):
    job = ImportJob.objects.create(
        unit=world["a"], file_name="ho.csv", file_data=csv_bytes(HOUSEHOLD_HEADER, [["H1", world["village_a"].code]]),
    )
    assert importing.import_job_run(job_id=job.pk) == ImportStatus.DONE
    assert importing.import_job_run(job_id=job.pk) == ""
    assert Household.objects.count() == 1
