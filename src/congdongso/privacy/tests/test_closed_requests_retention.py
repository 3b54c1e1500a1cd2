"""Closed requests keep how they were handled but forget who asked after their retention; open ones and
recently closed ones keep everything; the purge runs through the retention command."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from congdongso.privacy.models import DataSubjectRequest, Kind, Status
from congdongso.privacy.retention import closed_requests_due, closed_requests_purge
from congdongso.privacy.services import request_refuse, request_submit

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


def _request(world, *, closed_days_ago: int | None) -> DataSubjectRequest:
    request = request_submit(
        kind=Kind.ERASE, commune=world["a"], name="Lê Thị Hồng Nhung", phone="0912 345 678",
        details="Xin xóa thông tin của tôi",
    )
    if closed_days_ago is not None:
        request_refuse(request=request, reason="Không xác minh được người yêu cầu", actor_id=None)
        DataSubjectRequest.objects.filter(pk=request.pk).update(completed_at=NOW - dt.timedelta(days=closed_days_ago))
    return request


@pytest.mark.django_db
@override_settings(RETENTION_DAYS={"closed_requests": 365})
def test_only_requests_closed_longer_than_the_retention_forget_who_asked(world):
    old = _request(world, closed_days_ago=400)
    recent = _request(world, closed_days_ago=30)
    still_open = _request(world, closed_days_ago=None)
    DataSubjectRequest.objects.filter(pk=still_open.pk).update(created_at=NOW - dt.timedelta(days=800))

    assert closed_requests_due(NOW) == 1
    assert closed_requests_purge(NOW) == 1

    old.refresh_from_db()
    assert (old.subject_name, old.subject_phone, old.details) == ("", "", "")
    assert old.subject_erased_at == NOW
    assert (old.status, old.kind, old.outcome) == (Status.REFUSED, Kind.ERASE, "Không xác minh được người yêu cầu")
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.subject_name == "Lê Thị Hồng Nhung" and kept.subject_phone
    assert closed_requests_due(NOW) == 0


@pytest.mark.django_db
def test_the_purge_command_lists_closed_requests_in_its_dry_run(world):
    _request(world, closed_days_ago=10_000)
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "yêu cầu về dữ liệu đã đóng" in line)
    assert "1" in line
    assert DataSubjectRequest.objects.filter(subject_name="Lê Thị Hồng Nhung").count() == 1
