"""An email notification is really delivered to an SMTP server (aiosmtpd on 127.0.0.1), from a
background task, and says nothing of the resident's text or contact."""

import email

import pytest
from django.urls import reverse

from congdongso.feedback.models import Delivery, DeliveryStatus, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_to_smtp(settings, smtp_server):
    settings.FEEDBACK_EMAIL_ENABLED = True
    settings.FEEDBACK_EMAIL_TO = ["phananh@xa-anbinh.example.vn"]
    settings.SITE_URL = "https://congdongso.example.vn"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": smtp_server.host, "port": smtp_server.port, "timeout": 5},
        }
    }
    return smtp_server


def test_a_new_report_is_emailed_to_the_communes_officers(client, world, mail_to_smtp, django_capture_on_commit_callbacks):
    officer = world["officer_a"]
    officer.email = "canbo@xa-anbinh.example.vn"
    officer.save()
    world["officer_b"].email = "canbo@xa-binhminh.example.vn"
    world["officer_b"].save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("feedback:submit"),
            {
                "action": "send", "category": "scam", "unit": world["village"].pk,
                "text": "Có người gọi tự xưng công an, bảo chuyển tiền.",
                "contact_name": "Phạm Văn Bình", "contact_phone": "0987654321", "contact_consent": "on",
            },
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert len(mail_to_smtp.messages) == 1
    envelope = mail_to_smtp.messages[0]
    assert sorted(envelope.rcpt_tos) == ["canbo@xa-anbinh.example.vn", "phananh@xa-anbinh.example.vn"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert report.code in message["Subject"] and "Lừa đảo" in message["Subject"]
    body = message.get_content()
    assert f"https://congdongso.example.vn/feedback/reports/{report.pk}/" in body
    assert "Thôn Đông, Xã An Bình" in body
    for private in ("công an", "Phạm Văn Bình", "0987", "+8498"):
        assert private not in body and private not in message["Subject"]
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.event, delivery.status, delivery.attempts) == ("email", "created", DeliveryStatus.SENT, 1)


def test_the_assignee_is_emailed_when_given_a_report(
    world, settings, mail_to_smtp, submit_report, django_capture_on_commit_callbacks
):
    from congdongso.feedback.services import report_assign

    settings.FEEDBACK_EMAIL_TO = []
    world["member_user"].email = "tam@example.vn"
    world["member_user"].save()
    report = submit_report(world["village"])  # no officer has an email: nothing to send
    assert not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report_assign(report=report, user=world["member_user"], actor_id=world["officer_a"].pk)
    assert [m.rcpt_tos for m in mail_to_smtp.messages] == [["tam@example.vn"]]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_without_an_smtp_server_configured_no_email_is_queued(world, settings, submit_report):
    settings.FEEDBACK_EMAIL_ENABLED = False
    settings.FEEDBACK_EMAIL_TO = ["phananh@example.vn"]
    submit_report(world["village"])
    assert not Delivery.objects.exists()
