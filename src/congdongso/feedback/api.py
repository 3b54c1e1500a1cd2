"""The feedback JSON API (session auth): the reports a user may see, without contact details."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from congdongso.feedback import selectors
from congdongso.feedback.models import Category, Status

router = Router(tags=["feedback"])


class ReportOut(Schema):
    id: int
    code: str
    category: str
    category_label: str
    status: str
    status_label: str
    unit_id: int
    unit_name: str
    commune_id: int
    due_on: dt.date
    overdue: bool
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    assigned_team_id: int | None
    assigned_user_id: int | None
    follow_up_id: int | None
    has_contact: bool


class ReportDetailOut(ReportOut):
    text: str
    public_updates: list[str]


def _out(report) -> dict:
    return {
        "id": report.pk, "code": report.code, "category": report.category,
        "category_label": str(Category(report.category).label), "status": report.status,
        "status_label": str(Status(report.status).label), "unit_id": report.unit_id, "unit_name": report.unit.name,
        "commune_id": report.commune_id, "due_on": report.due_on, "overdue": selectors.is_overdue(report),
        "created_at": report.created_at, "resolved_at": report.resolved_at,
        "assigned_team_id": report.assigned_team_id, "assigned_user_id": report.assigned_user_id,
        "follow_up_id": report.follow_up_id, "has_contact": report.has_contact,
    }


@router.get("/reports", response=list[ReportOut], summary="Phản ánh trong phạm vi của bạn (đang mở trước)")
def list_reports(request: HttpRequest, status: str = "open", category: str = "", limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    offset = max(offset, 0)
    filters = selectors.InboxFilter(
        status=status if status in ("open", "all", *Status.values) else "open",
        category=category if category in Category.values else "",
    )
    return [_out(report) for report in selectors.inbox(request.user, filters)[offset : offset + limit]]


@router.get("/reports/{report_id}", response=ReportDetailOut, summary="Một phản ánh (không kèm thông tin liên hệ)")
def get_report(request: HttpRequest, report_id: int):
    report = selectors.report_in_scope_or_404(request.user, report_id)
    updates = [note.text for note in selectors.notes_of(report, public_only=True)]
    return {**_out(report), "text": report.text, "public_updates": updates}
