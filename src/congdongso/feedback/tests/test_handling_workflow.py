"""Officers assign (to a team or member in scope), move the status along (new → assigned → in progress
→ resolved → closed; rejected with a reason), add public updates and internal notes; every change is
kept in the history and in the audit trail with ids only."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.audit.models import AuditEvent
from congdongso.feedback.models import Change, Status
from congdongso.feedback.services import report_assign, report_note_add, report_status_set

pytestmark = pytest.mark.django_db


def test_the_full_path_through_the_officer_pages(client, world, submit_report):
    report = submit_report(world["village"], category="connectivity", text="Mất sóng từ hôm qua ở xóm trên.")
    client.force_login(world["officer_a"])
    base = reverse("feedback:report", args=[report.pk])
    page = html.unescape(client.get(base).content.decode())
    assert "Lê Văn Tâm — Tổ CNSCĐ Thôn Đông" in page and "Tổ CNSCĐ Thôn Đông" in page

    response = client.post(reverse("feedback:assign", args=[report.pk]), {"assignee": f"member:{world['membership'].pk}"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED
    assert (report.assigned_team, report.assigned_user) == (world["team"], world["member_user"])

    steps = [("in_progress", ""), ("resolved", ""), ("closed", "")]
    for status, reason in steps:
        response = client.post(reverse("feedback:status_change", args=[report.pk]), {"status": status, "reason": reason})
        assert response.status_code == 302, html.unescape(response.content.decode())[:2000]
    client.post(reverse("feedback:note", args=[report.pk]), {"visibility": "internal", "text": "Đã báo nhà mạng."})
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.resolved_at and report.closed_at
    changes = list(report.history.values_list("change", "from_status", "to_status"))
    assert changes == [
        (Change.CREATED, "", Status.NEW),
        (Change.ASSIGNED, Status.NEW, Status.ASSIGNED),
        (Change.STATUS, Status.ASSIGNED, Status.IN_PROGRESS),
        (Change.STATUS, Status.IN_PROGRESS, Status.RESOLVED),
        (Change.STATUS, Status.RESOLVED, Status.CLOSED),
        (Change.INTERNAL_NOTE, "", ""),
    ]
    actions = list(AuditEvent.objects.filter(object_type="feedback.report").order_by("pk").values_list("action", flat=True))
    assert actions == [
        "feedback.submit", "feedback.assign", "feedback.status",
        "feedback.status", "feedback.status", "feedback.note",
    ]
    # Ids and codes only: no free text reaches the audit trail.
    for details in AuditEvent.objects.filter(object_type="feedback.report").values_list("details", flat=True):
        assert "Mất sóng" not in str(details) and "nhà mạng" not in str(details)
    assert not AuditEvent.objects.filter(action="feedback.note", details__public=True).exists()


def test_transitions_are_checked(world, submit_report):
    report = submit_report(world["village"], category="other")
    with pytest.raises(ValidationError):
        report_status_set(report=report, status=Status.CLOSED, actor_id=None)  # new → closed: resolve first
    with pytest.raises(ValidationError, match="lý do"):
        report_status_set(report=report, status=Status.REJECTED, reason="  ", actor_id=None)
    with pytest.raises(ValidationError):
        report_status_set(report=report, status="bogus", actor_id=None)
    report_status_set(report=report, status=Status.RESOLVED, actor_id=None)
    with pytest.raises(ValidationError):  # assignees only move a report along
        report_status_set(report=report, status=Status.CLOSED, actor_id=None, manager=False)
    report_status_set(report=report, status=Status.IN_PROGRESS, actor_id=None)  # reopened
    report_status_set(report=report, status=Status.REJECTED, reason="Trùng phản ánh khác.", actor_id=None)
    with pytest.raises(ValidationError):
        report_assign(report=report, team=world["team"], actor_id=None)
    with pytest.raises(ValidationError):
        report_status_set(report=report, status=Status.IN_PROGRESS, actor_id=None)


def test_only_teams_and_members_of_the_reports_commune_can_be_given_it(world, submit_report, make):
    report = submit_report(world["village"])
    team_b = make.team(world["village_b"])
    user_b = make.user(Role.MEMBER, world["village_b"])
    make.member(team_b, user=user_b)
    with pytest.raises(ValidationError):
        report_assign(report=report, team=team_b, actor_id=None)
    with pytest.raises(ValidationError):
        report_assign(report=report, user=user_b, actor_id=None)
    with pytest.raises(ValidationError):
        report_assign(report=report, actor_id=None)
    report.refresh_from_db()
    assert report.status == Status.NEW and report.assigned_team is None


def test_forged_and_garbage_assignments_are_refused_in_vietnamese(client, world, submit_report, make):
    report = submit_report(world["village"])
    team_b = make.team(world["village_b"])
    client.force_login(world["officer_a"])
    url = reverse("feedback:assign", args=[report.pk])
    for value in (f"team:{team_b.pk}", "team:abc", "member:999999", "", "x" * 5000, "team:\x00"):
        response = client.post(url, {"assignee": value})
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert "Lựa chọn không hợp lệ." in page or "Hãy chọn tổ hoặc thành viên" in page or "ký tự NUL" in page
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_notes_are_checked(client, world, submit_report):
    report = submit_report(world["village"])
    with pytest.raises(ValidationError):
        report_note_add(report=report, text="   ", is_public=True, actor_id=None)
    with pytest.raises(ValidationError):
        report_note_add(report=report, text="Mật khẩu: abc123", is_public=False, actor_id=None)
    client.force_login(world["officer_a"])
    response = client.post(reverse("feedback:note", args=[report.pk]), {"visibility": "public", "text": "y" * 1001})
    assert response.status_code == 200 and "Nội dung tối đa 1000 ký tự" in html.unescape(response.content.decode())
    response = client.post(reverse("feedback:note", args=[report.pk]), {"visibility": "shout", "text": "Chào"})
    assert "Lựa chọn không hợp lệ." in html.unescape(response.content.decode())
    assert not report.notes.exists()


def test_reject_with_reason_from_the_page(client, world, submit_report):
    report = submit_report(world["village"], category="suggestion", text="Đề nghị lắp wifi miễn phí ở nhà văn hóa.")
    client.force_login(world["officer_a"])
    url = reverse("feedback:status_change", args=[report.pk])
    response = client.post(url, {"status": "rejected", "reason": ""})
    assert "Cần ghi lý do từ chối" in html.unescape(response.content.decode())
    assert client.post(url, {"status": "rejected", "reason": "Đã chuyển Sở Khoa học và Công nghệ."}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.REJECTED and report.rejection_reason == "Đã chuyển Sở Khoa học và Công nghệ."
