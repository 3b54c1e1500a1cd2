"""Background tasks of the households app (Django's task framework; `congdongso db_worker` runs them)."""

from django.tasks import task

from congdongso.households.importing import import_job_run


@task
def import_households_task(*, job_id: str) -> str:
    """Import an uploaded household list: all rows or none (see households.importing)."""
    return import_job_run(job_id=job_id)
