"""Assists and the worklist as JSON: one assist per request, idempotent on the client's id.

The batched offline sync (POST /api/v1/sync) is a later issue; this endpoint answers the same way
per item: accepted (201), duplicate (200: same id, same content), conflict (409: same id, other
content; the stored assist is kept, the new one is not), or a reason (404, 422).
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from congdongso.accounts.selectors import unit_in_scope_or_404
from congdongso.audit.access import access_record
from congdongso.households.models import TAG_FIELDS, Household, Resident
from congdongso.outreach import selectors
from congdongso.outreach import services as outreach_services
from congdongso.outreach.models import Channel, Outcome

router = Router(tags=["outreach"])

MAX_LIMIT = 200


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody


def _error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


class AssistIn(Schema):
    id: uuid.UUID = Field(description="UUIDv7 made by the client; resending the same assist is harmless")
    household_id: uuid.UUID
    resident_id: uuid.UUID | None = None
    services: list[str] = Field(min_length=1, max_length=20, description="service codes of the catalogue")
    outcome: Outcome
    channel: Channel = Channel.DOOR
    occurred_at: dt.datetime
    independent: bool = Field(False, description="the resident now uses the services on their own")
    note: str = Field("", max_length=outreach_services.MAX_NOTE)
    follow_up_on: dt.date | None = None
    campaign_id: int | None = Field(
        None, description="a campaign running on the day of the help that covers the household's village"
    )


class AssistOut(Schema):
    status: str = Field(description="accepted | duplicate")
    id: uuid.UUID
    household_id: uuid.UUID
    has_nucleus: bool
    missing_skills: int


@router.post(
    "/assists",
    response={200: AssistOut, 201: AssistOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ghi nhận một lượt hỗ trợ",
)
def record_assist(request: HttpRequest, payload: AssistIn):
    household = selectors.household_in_scope_or_404(request.user, payload.household_id)
    resident = None
    if payload.resident_id is not None:
        resident = Resident.objects.filter(pk=payload.resident_id, household=household).first()
        if resident is None:
            return Status(422, _error("invalid", _("Nhân khẩu không thuộc hộ này.")))
    occurred_at = payload.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    try:
        assist, created = outreach_services.assist_submit(
            assist_id=payload.id, member=request.user, household=household, resident=resident,
            service_codes=payload.services, outcome=payload.outcome, channel=payload.channel,
            occurred_at=occurred_at, independent=payload.independent, note=payload.note,
            follow_up_on=payload.follow_up_on, campaign_id=payload.campaign_id,
        )
    except outreach_services.AssistConflict:
        return Status(409, _error("conflict", _("Mã lượt hỗ trợ này đã được dùng cho một lượt hỗ trợ khác.")))
    except ValidationError as exc:
        return Status(422, _error("invalid", " ".join(exc.messages)))
    household = Household.objects.only("has_nucleus", "missing_skills").get(pk=household.pk)
    body = {
        "status": "accepted" if created else "duplicate", "id": assist.pk, "household_id": household.pk,
        "has_nucleus": household.has_nucleus, "missing_skills": household.missing_skills,
    }
    return Status(201 if created else 200, body)


class WorklistItem(Schema):
    id: uuid.UUID
    village_id: int
    village_name: str
    head_name: str
    has_consent: bool
    resident_count: int
    tags: list[str]
    has_nucleus: bool
    missing_skills: int
    follow_up_due: bool
    last_assist_at: dt.datetime | None


class WorklistOut(Schema):
    count: int
    items: list[WorklistItem]


@router.get(
    "/worklist", response={200: WorklistOut, 404: ErrorOut, 422: ErrorOut},
    summary="Các hộ trong phạm vi, hộ cần hỗ trợ nhất trước",
)
def get_worklist(
    request: HttpRequest, village: int | None = None, tag: str | None = None, limit: int = 50, offset: int = 0
):
    if tag and tag not in TAG_FIELDS:
        return Status(422, _error("invalid", _("Đặc điểm hộ không hợp lệ.")))
    unit = unit_in_scope_or_404(request.user, village) if village is not None else None
    households = selectors.worklist(request.user, village=unit, tag=tag or None)
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(offset, 0)
    listed = list(households[offset : offset + limit])
    outreach_services.households_listed_record(actor_id=request.user.pk, households=listed, page="api.worklist")
    access_record(request, what="worklist.api", households=listed)
    items = [
        {
            "id": h.pk, "village_id": h.village_id, "village_name": h.village.name, "head_name": h.head_name,
            "has_consent": h.has_consent, "resident_count": h.resident_count, "tags": sorted(h.tags),
            "has_nucleus": h.has_nucleus, "missing_skills": h.missing_skills, "follow_up_due": h.follow_up_due,
            "last_assist_at": h.last_assist_at,
        }
        for h in listed
    ]
    return {"count": households.count(), "items": items}
