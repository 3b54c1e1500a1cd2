"""A member's devices over the API: get a sync token for this phone, list devices, revoke one."""

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from congdongso.accounts import selectors, services
from congdongso.accounts.models import Device
from congdongso.accounts.tokens import device_token_auth, session_auth

router = Router(tags=["devices"])


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody


class TokenIn(Schema):
    device_id: uuid.UUID = Field(description="the UUID the app made once on this phone")
    label: str = Field("", max_length=80, description="a name to tell the phone apart, e.g. 'Điện thoại Lan'")


class TokenOut(Schema):
    device_id: uuid.UUID
    token: str = Field(description="shown this once: send it as `Authorization: Bearer <token>`")


class DeviceOut(Schema):
    id: int
    device_id: uuid.UUID
    label: str
    user_id: int
    last_sync_at: dt.datetime | None
    pending_events: int
    revoked: bool


def _device_out(device: Device) -> dict:
    return {
        "id": device.pk, "device_id": device.device_id, "label": device.label, "user_id": device.user_id,
        "last_sync_at": device.last_sync_at, "pending_events": device.pending_events, "revoked": device.is_revoked,
    }


@router.post(
    "/token", auth=session_auth, response={201: TokenOut, 403: ErrorOut},
    summary="Cấp mã đồng bộ cho điện thoại này (chỉ hiện một lần)",
)
def issue_token(request: HttpRequest, payload: TokenIn):
    """Needs the logged-in session: a token cannot make more tokens. A new token replaces the device's
    previous one; a revoked device gets none."""
    try:
        _device, token = services.device_token_issue(user=request.user, device_id=payload.device_id, label=payload.label)
    except PermissionError:
        return Status(403, {"error": {"code": "device_revoked", "message": _("Thiết bị này đã bị thu hồi.")}})
    return Status(201, {"device_id": payload.device_id, "token": token})


@router.get("/", auth=[device_token_auth, session_auth], response=list[DeviceOut], summary="Các thiết bị của bạn")
def list_devices(request: HttpRequest):
    return [_device_out(d) for d in selectors.devices_of(request.user)[:100]]


@router.post(
    "/{device_pk}/revoke", auth=[device_token_auth, session_auth], response={200: DeviceOut, 404: ErrorOut},
    summary="Thu hồi một thiết bị (của bạn, hoặc của thành viên trong đơn vị bạn quản lý)",
)
def revoke_device(request: HttpRequest, device_pk: int):
    device = selectors.device_in_reach_or_404(request.user, device_pk)
    return _device_out(services.device_revoke(device=device, actor_id=request.user.pk))
