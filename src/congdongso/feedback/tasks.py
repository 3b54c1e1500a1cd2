"""Background work of the feedback app (Django's task framework; the database backend in production)."""

from django.tasks import task


@task
def deliver(delivery_id: int) -> str:
    """Try one notification delivery; on failure the service schedules the next attempt."""
    from congdongso.feedback.services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)
