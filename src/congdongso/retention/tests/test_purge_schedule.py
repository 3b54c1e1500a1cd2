"""The daily purge task: it runs the purge, and queues itself for 02:00 Vietnam time the next day
through the database task backend, never twice."""

import datetime as dt

import pytest
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from congdongso.audit.models import AccessChannel, AccessLog
from congdongso.retention.tasks import next_run_after, purge_expired_task, purge_schedule

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 20, 1, 59, tzinfo=VN), dt.datetime(2026, 11, 20, 2, 0, tzinfo=VN)),
        (dt.datetime(2026, 11, 20, 2, 0, tzinfo=VN), dt.datetime(2026, 11, 21, 2, 0, tzinfo=VN)),
        # 20:00 UTC is already 03:00 the next day in Vietnam.
        (dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC), dt.datetime(2027, 1, 2, 2, 0, tzinfo=VN)),
    ],
)
def test_the_next_run_is_the_next_two_oclock_in_vietnam(now, expected):
    assert next_run_after(now) == expected


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_scheduling_queues_one_deferred_run_only():
    now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=VN)
    assert purge_schedule(now=now) is True
    assert purge_schedule(now=now) is False
    (queued,) = DBTaskResult.objects.filter(task_path=purge_expired_task.module_path)
    assert queued.status == TaskResultStatus.READY
    assert queued.run_after == dt.datetime(2026, 11, 21, 2, 0, tzinfo=VN)


@pytest.mark.django_db
def test_the_task_purges():
    AccessLog.objects.create(
        channel=AccessChannel.PAGE, what="household.detail", occurred_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    result = purge_expired_task.enqueue()  # the immediate backend of the test settings
    assert result.return_value["access_log"] == 1
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_run_queues_the_next_one():
    assert purge_expired_task.call()["access_log"] == 0
    (queued,) = DBTaskResult.objects.filter(task_path=purge_expired_task.module_path)
    assert queued.status == TaskResultStatus.READY and queued.run_after > timezone.now()
    assert queued.run_after.astimezone(VN).hour == 2
