"""Reports keep to scope: a unit outside it, or a report job of someone else, answers 404."""

import pytest
from django.urls import reverse

from congdongso.indicators.models import ReportJob
from congdongso.indicators.reports import report_job_run
from congdongso.indicators.tests.report_helpers import report_post

pytestmark = pytest.mark.django_db


def test_a_unit_outside_the_scope_is_404(client, report_world):
    w = report_world
    client.force_login(w["officer_a"])
    for unit in (w["b"], w["tay"], w["province"]):
        url = reverse("indicators:report", args=[unit.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, report_post(month="2026-01")).status_code == 404
    assert client.get(reverse("indicators:report", args=[w["a"].pk])).status_code == 200
    assert client.post(reverse("indicators:report", args=[999_999]), report_post(month="2026-01")).status_code == 404


def test_only_the_user_who_asked_may_see_and_download_a_job(client, report_world, make):
    w = report_world
    job = ReportJob.objects.create(unit=w["a"], period="2026-01", format="xlsx", created_by=w["officer_a"])
    report_job_run(job_id=job.pk)
    status, download = (reverse(name, args=[job.pk]) for name in ("indicators:report_job", "indicators:report_download"))
    # Out of scope; in scope but not the one who asked (the province officer); both 404.
    for user in (w["officer_b"], w["officer"]):
        client.force_login(user)
        assert client.get(status).status_code == 404
        assert client.get(download).status_code == 404
    client.force_login(w["officer_a"])
    assert client.get(status).status_code == 200
    assert client.get(download).status_code == 200


def test_the_asker_loses_the_job_when_the_unit_leaves_their_scope(client, report_world):
    w = report_world
    job = ReportJob.objects.create(unit=w["b"], period="2026-01", format="csv", created_by=w["officer_a"])
    report_job_run(job_id=job.pk)
    client.force_login(w["officer_a"])
    assert client.get(reverse("indicators:report_download", args=[job.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, report_world):
    w = report_world
    response = client.get(reverse("indicators:report", args=[w["a"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
