"""Background tasks of the indicators app (Django's task framework; `congdongso db_worker` runs them)."""

from django.tasks import task

from congdongso.indicators.reports import report_job_run


@task
def build_report_task(*, job_id: str) -> str:
    """Build a periodic report too large for a request (see indicators.reports)."""
    return report_job_run(job_id=job_id)
