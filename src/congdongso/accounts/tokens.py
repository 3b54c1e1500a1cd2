"""Bearer-token auth for the API: a phone that syncs sends `Authorization: Bearer <token>`.

The token names a device (accounts.Device); only its hash is stored. The device's user becomes the
request's user, so every scope check applies to the token exactly as to a session."""

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth as SessionAuthBase

from congdongso.accounts.services import device_for_token


class DeviceTokenAuth(HttpBearer):
    openapi_description = "Mã thiết bị (cấp một lần cho mỗi điện thoại, xem /api/v1/devices/token)."

    def authenticate(self, request: HttpRequest, token: str):
        device = device_for_token(token)
        if device is None:
            return None
        request.user = device.user
        request.device = device
        return device


device_token_auth = DeviceTokenAuth()


class SessionAuth(SessionAuthBase):
    """ninja's session auth, except that a request with no logged-in session is simply not
    authenticated (401) rather than failing the CSRF check first (403): a phone whose token was
    revoked is told to log in again. A logged-in session still needs its CSRF token."""

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


session_auth = SessionAuth()
