"""Scam shield over the API: the public lookup and message checker, and a member's alerts."""

import datetime as dt
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from congdongso.scams import checker, ratelimit, selectors
from congdongso.scams.lookup import lookup as lookup_query

router = Router(tags=["scams"])


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody


class MatchOut(Schema):
    kind: str
    value: str
    status: str
    report_count: int
    tactic: str


class LookupOut(Schema):
    query: str
    recognised: bool
    kind: str
    value: str
    status: str
    status_label: str
    report_count: int
    tactic: str
    advice: str
    hotlines: str
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    matches: list[MatchOut]


class CheckIn(Schema):
    message: str


class FindingOut(Schema):
    kind: str
    found: str
    title: str
    status: str
    report_count: int
    explanation: str
    advice: str
    hotlines: str


class CheckOut(Schema):
    verdict: str
    verdict_label: str
    findings: list[FindingOut]


class AlertOut(Schema):
    id: int
    title: str
    message: str
    tactic: str
    unit_name: str
    valid_from: dt.date
    valid_until: dt.date
    zalo_text: str


class TeamAlertsOut(Schema):
    team_id: int
    team_name: str
    zalo_link: str
    alerts: list[AlertOut]


def _limited(bucket: str) -> JsonResponse:
    return ratelimit.LIMITS.too_many_json(bucket)


@router.get(
    "/lookup", auth=None, response={200: LookupOut, 429: ErrorOut},
    summary="Tra cứu số điện thoại, trang web, tài khoản ngân hàng hoặc mạng xã hội",
)
def lookup(request: HttpRequest, q: str = ""):
    """Public: status (confirmed / verifying / no_reports / unrecognised), report count, tactic, advice."""
    if not ratelimit.allow(request, "lookup"):
        return _limited("lookup")
    return HttpResponse(lookup_json(q), content_type="application/json")


def lookup_json(q: str) -> bytes:
    """The lookup's 200 body (the bytes JsonResponse would write); the WSGI fast path
    (congdongso.scams.fast_lookup) sends the same."""
    result = lookup_query(q[:500])
    # Serialised here rather than validated against the schema again: this is the hot path, and the
    # dictionary is built from known types (the schema above still documents it).
    return json.dumps({
        "query": result.query, "recognised": result.recognised, "kind": result.kind, "value": result.display,
        "status": result.status, "status_label": result.status_label, "report_count": result.report_count,
        "tactic": result.tactic, "advice": result.advice, "hotlines": result.hotlines,
        "first_seen": result.first_seen, "last_seen": result.last_seen,
        "matches": [
            {"kind": m.kind, "value": m.display, "status": m.status, "report_count": m.report_count, "tactic": m.tactic}
            for m in result.matches
        ],
    }, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


@router.post(
    "/check", auth=None, response={200: CheckOut, 422: ErrorOut, 429: ErrorOut},
    summary="Kiểm tra một tin nhắn: số điện thoại, đường dẫn, tài khoản và thủ đoạn",
)
def check(request: HttpRequest, payload: CheckIn):
    if not ratelimit.allow(request, "check"):
        return _limited("check")
    message = payload.message.replace("\x00", "").strip()
    if not message or len(message) > checker.MAX_MESSAGE:
        return Status(422, {"error": {"code": "invalid", "message": _("Tin nhắn trống hoặc quá dài (tối đa %(limit)s ký tự).")
                               % {"limit": checker.MAX_MESSAGE}}})
    result = checker.check_message(message)
    return {
        "verdict": result.verdict, "verdict_label": result.verdict_label,
        "findings": [
            {
                "kind": f.kind, "found": f.found, "title": f.title, "status": f.status, "report_count": f.report_count,
                "explanation": f.explanation, "advice": f.advice, "hotlines": f.hotlines,
            }
            for f in result.findings
        ],
    }


@router.get("/alerts", response=list[TeamAlertsOut], summary="Cảnh báo đang hiệu lực cho các tổ của bạn")
def my_alerts(request: HttpRequest):
    lookup_url = request.build_absolute_uri(reverse("scams:lookup"))
    return [
        {
            "team_id": team.pk, "team_name": team.name, "zalo_link": team.zalo_link,
            "alerts": [
                {
                    "id": a.pk, "title": a.title, "message": a.message, "tactic": a.tactic.name if a.tactic else "",
                    "unit_name": a.unit.name, "valid_from": a.valid_from, "valid_until": a.valid_until,
                    "zalo_text": selectors.zalo_text(a, lookup_url),
                }
                for a in selectors.alerts_for_team(team)
            ],
        }
        for team in selectors.my_teams(request.user)
    ]
