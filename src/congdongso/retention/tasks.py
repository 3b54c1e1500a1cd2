"""The daily purge as a background task (Django's task framework, the database backend in production).

The task framework has no calendar: each run schedules the next one (tomorrow at PURGE_HOUR, local
time) when the backend can defer, and `congdongso purge_expired --schedule` starts the chain once
(it does nothing when a run is already waiting, so calling it from a deploy script is safe).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from congdongso.retention.services import expired_purge

PURGE_HOUR = 2  # local time: the quietest hour


def next_run_after(now: dt.datetime) -> dt.datetime:
    """The next PURGE_HOUR:00 in the site's time zone, strictly after `now`."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    run = local.replace(hour=PURGE_HOUR, minute=0, second=0, microsecond=0)
    if run <= local:
        run += dt.timedelta(days=1)
    return run


@task
def purge_expired_task() -> dict[str, int]:
    try:
        return expired_purge()
    finally:
        # Even after a failure: tomorrow's run must still come.
        purge_schedule(now=timezone.now())


def _waiting() -> bool:
    """A purge run already queued, due now or later (the database backend keeps the queue to ask)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(purge_expired_task.get_backend(), DatabaseBackend):
        return False
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=purge_expired_task.module_path)
    return queued.exists()


def purge_schedule(*, now: dt.datetime | None = None) -> bool:
    """Queue the next daily run; False when one is already waiting or the backend cannot defer."""
    backend = purge_expired_task.get_backend()
    if not backend.supports_defer or _waiting():
        return False
    purge_expired_task.using(run_after=next_run_after(now or timezone.now())).enqueue()
    return True
