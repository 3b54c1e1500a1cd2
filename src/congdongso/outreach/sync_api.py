"""POST /api/v1/sync: the phone's batch of events in, what changed in the member's scope out.

Auth: the session (the web app, with its CSRF token in X-CSRFToken) or a device token
(`Authorization: Bearer <token>`, see /api/v1/devices/token). The body is read with plain pydantic
models, not through ninja's parameter parsing: a bad event is answered on its own ("rejected")
instead of failing the whole batch, and a 1,000-event batch validates several times faster. The
documented request schema is generated from the same models.
"""

import gzip
import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from congdongso.accounts.services import device_seen
from congdongso.accounts.tokens import device_token_auth, session_auth
from congdongso.audit.access import access_record
from congdongso.outreach import sync, sync_changes
from congdongso.outreach.api import ErrorOut

router = Router(tags=["sync"])

GZIP_FROM_BYTES = 1024


def _inline(schema: Any, defs: dict) -> Any:
    """The JSON schema with every `$ref` to its `$defs` written out (the models have no cycles)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {key: _inline(value, defs) for key, value in schema.items() if key != "$defs"}
    if isinstance(schema, list):
        return [_inline(item, defs) for item in schema]
    return schema


def _request_schema() -> dict:
    schema = sync.SyncRequest.model_json_schema()
    inlined = _inline(schema, schema.get("$defs", {}))
    inlined["description"] = (
        "At most 1,000 events. Each event: id (UUIDv7 made on the phone), type, occurred_at (ISO 8601 with "
        "offset), payload. `pending`: how many events are still waiting on the phone after this batch."
    )
    return inlined


class ResultOut(Schema):
    id: str
    status: str = Field(description="accepted | duplicate | conflict | rejected")
    code: str | None = Field(None, description="why, for conflict and rejected: invalid, unknown_household, "
                             "out_of_scope, unknown_follow_up, consent_required, already_closed, household_exists, conflict")
    message: str | None = Field(None, description="in Vietnamese, for the member")


class ChangesOut(Schema):
    households: list[dict[str, Any]] = Field(description=sync_changes.__doc__.split("Keys")[1] if sync_changes.__doc__ else "")
    residents: list[dict[str, Any]]
    adoption: list[dict[str, Any]]
    catalog: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    villages: list[dict[str, Any]]


class SyncOut(Schema):
    results: list[ResultOut] = Field(description="one per event, in the order sent")
    changes: ChangesOut
    cursor: str = Field(description="send it back next time")
    more: bool = Field(description="more changes wait: call again with this cursor and no events")
    reset: bool = Field(description="the cursor was not usable (or the scope changed): these are all the data again")


def error_response(request: HttpRequest, status: int, code: str, message: str, details: object = None) -> HttpResponse:
    body: dict = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


@router.post(
    "/sync",
    auth=[device_token_auth, session_auth],
    response={200: SyncOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="Đồng bộ: gửi các bản ghi làm trên điện thoại, nhận các thay đổi trong phạm vi",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _request_schema()}}}},
)
def sync_batch(request: HttpRequest):
    """Each event is answered in order: accepted, duplicate (same id, same content), conflict (same id,
    other content: kept for a commune officer to review) or rejected (with a code and a message).
    All accepted events of a batch are stored together or not at all. Then the changes in your scope
    since `cursor` follow, a page at a time (`more`)."""
    try:
        body = request.body
    except RequestDataTooBig:
        return error_response(request, 413, "too_large", _("Nội dung gửi lên quá lớn."))
    try:
        parsed = sync.parse_request(body)
    except sync.RequestInvalid as exc:
        return error_response(request, exc.status, exc.code, exc.message, exc.details)
    device = getattr(request, "device", None)
    if device is not None and device.device_id != parsed.device_id:
        return error_response(request, 403, "device_mismatch", _("Mã thiết bị không khớp với thiết bị đã đăng ký."))
    if device is None:
        device = device_seen(user=request.user, device_id=parsed.device_id)
    if device.is_revoked:
        return error_response(
            request, 403, "device_revoked", _("Thiết bị này đã bị thu hồi quyền đồng bộ. Hãy đăng nhập lại trên thiết bị mới.")
        )
    results = sync.sync_apply(member=request.user, device=device, events=parsed.events, pending=parsed.pending)
    feed = sync_changes.changes_since(request.user, parsed.cursor)
    access_record(request, what="sync", households=feed["changes"]["households"])
    payload = json.dumps({"results": results, **feed}, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(content_type="application/json")
    if len(payload) >= GZIP_FROM_BYTES and "gzip" in request.headers.get("Accept-Encoding", ""):
        payload = gzip.compress(payload, compresslevel=5)
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response.content = payload
    return response
