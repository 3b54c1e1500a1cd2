"""A failing channel is retried (attempts counted on the delivery row, backing off), shown as failed
on the officer's page, can be sent again — and the report is never lost. The webhook channel posts
signed JSON to a local HTTP server."""

import datetime as dt
import hashlib
import hmac
import html
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.feedback import notifications
from congdongso.feedback.models import Delivery, DeliveryStatus, Report
from congdongso.feedback.services import DELIVERY_ATTEMPTS, delivery_attempt, deliveries_requeue, retry_delay

pytestmark = pytest.mark.django_db


def submit(client, world):
    return client.post(
        reverse("feedback:submit"),
        {"action": "send", "category": "payment", "unit": world["village"].pk, "text": "Không thanh toán được tiền điện bằng QR."},
    )


def test_a_failing_webhook_is_retried_shown_as_failed_and_the_report_is_kept(
    client, world, settings, webhook_server, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_WEBHOOK_URL = webhook_server.url
    webhook_server.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, world)
    assert response.status_code == 302  # the resident got their code anyway
    report = Report.objects.get()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, DELIVERY_ATTEMPTS)
    assert delivery.last_error == "Máy nhận trả lời lỗi HTTP 500."
    assert len(webhook_server.requests) == DELIVERY_ATTEMPTS

    client.force_login(world["officer_a"])
    page = html.unescape(client.get(reverse("feedback:report", args=[report.pk])).content.decode())
    assert "Gửi không được" in page and "Máy nhận trả lời lỗi HTTP 500." in page and "Gửi lại" in page

    webhook_server.status = 204
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feedback:delivery_retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, DELIVERY_ATTEMPTS + 1, "")


def test_the_webhook_posts_signed_json_without_personal_data(world, settings, webhook_server, submit_report, django_capture_on_commit_callbacks):
    settings.FEEDBACK_WEBHOOK_URL = webhook_server.url
    settings.FEEDBACK_WEBHOOK_SECRET = "bi-mat-chung"
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(world["village"], contact_name="Bà Lan", contact_phone="0912345678", contact_consent=True)
    headers, body = webhook_server.requests[0]
    expected = hmac.new(b"bi-mat-chung", body, hashlib.sha256).hexdigest()
    assert headers["X-Congdongso-Signature"] == f"sha256={expected}"
    assert headers["X-Congdongso-Event"] == "feedback.created"
    data = json.loads(body)
    assert data["code"] == report.code and data["status_code"] == "new" and data["commune_code"] == world["a"].code
    assert data["category_code"] == "home_visit" and data["due_on_iso"] == report.due_on.isoformat()
    assert "Bà Lan" not in body.decode() and "0912" not in body.decode() and "VNeID" not in body.decode()
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_an_unreachable_receiver_counts_as_a_failed_attempt(world, settings, submit_report, django_capture_on_commit_callbacks):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.FEEDBACK_WEBHOOK_URL = f"http://127.0.0.1:{port}/hook"
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(world["village"])
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "Không kết nối được" in delivery.last_error
    assert Report.objects.count() == 1


def test_with_the_database_task_backend_retries_wait_and_back_off(world, settings, webhook_server, submit_report, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FEEDBACK_WEBHOOK_URL = webhook_server.url
    webhook_server.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(world["village"])
    delivery = Delivery.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("feedback.tasks.deliver") and queued.args_kwargs["args"] == [delivery.pk]
    assert webhook_server.requests == []  # nothing was sent inside the request

    before = timezone.now()
    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_error == "Máy nhận trả lời lỗi HTTP 503."
    assert before + retry_delay(1) <= delivery.next_attempt_at <= timezone.now() + retry_delay(1)
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.run_after == delivery.next_attempt_at

    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 10)] == [60, 120, 240, 480, 3600]


def test_lost_pending_deliveries_are_queued_again(world, settings, webhook_server, submit_report, django_capture_on_commit_callbacks):
    settings.FEEDBACK_WEBHOOK_URL = webhook_server.url
    submit_report(world["village"])  # on_commit never ran: as if the worker lost the task
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert deliveries_requeue() == 0  # too fresh to be called lost
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert deliveries_requeue() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_channel_that_breaks_while_deciding_does_not_stop_the_report(world, submit_report):
    class Broken:
        name = "broken"

        def wants(self, message):
            raise RuntimeError("boom")

        def send(self, message):
            raise AssertionError("never called")

    notifications.register_channel(Broken())
    try:
        report = submit_report(world["village"])
    finally:
        notifications.unregister_channel("broken")
    assert Report.objects.filter(pk=report.pk).exists()


def test_channels_follow_the_protocol_and_errors_hide_addresses():
    assert all(isinstance(channel, notifications.Channel) for channel in notifications.channels())
    assert {"email", "webhook"} <= {channel.name for channel in notifications.channels()}
    error = notifications.describe_error(OSError("550 <canbo@xa.example.vn>: mailbox unavailable"))
    assert "canbo@" not in error and "550" in error
