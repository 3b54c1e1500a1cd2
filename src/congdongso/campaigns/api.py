"""Campaigns as JSON: which campaigns a member may tag help with in a village today (the phone
offers them on its visit screen and sends the chosen id as `campaign_id` with the assist)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from congdongso.accounts.selectors import unit_in_scope_or_404
from congdongso.campaigns.selectors import campaigns_running_for_village
from congdongso.geo.models import Level

router = Router(tags=["campaigns"])


class RunningCampaign(Schema):
    id: int
    name: str
    unit_id: int
    starts_on: dt.date
    ends_on: dt.date
    service: str | None


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody


@router.get(
    "/running", response={200: list[RunningCampaign], 404: ErrorOut},
    summary="Các chiến dịch đang diễn ra ở một thôn/tổ dân phố",
)
def running(request: HttpRequest, village: int):
    unit = unit_in_scope_or_404(request.user, village)
    if unit.level != Level.VILLAGE:
        return []
    return [
        {"id": c.pk, "name": c.name, "unit_id": c.unit_id, "starts_on": c.starts_on, "ends_on": c.ends_on,
         "service": c.service.code if c.service_id else None}
        for c in campaigns_running_for_village(unit)
    ]
