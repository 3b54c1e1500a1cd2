"""The JSON API under /api/v1/: django-ninja, session auth by default, one error shape."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from congdongso.web.api import router as units_router
from congdongso.campaigns.api import router as campaigns_router
from congdongso.catalog.api import router as catalog_router
from congdongso.feedback.api import router as feedback_router
from congdongso.households.api import router as households_router
from congdongso.accounts.api import router as devices_router
from congdongso.outreach.api import router as outreach_router
from congdongso.outreach.sync_api import router as sync_router
from congdongso.scams.api import router as scams_router
from congdongso.teams.api import router as teams_router

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": "The one error shape of the whole API.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "a stable code, e.g. not_found, invalid, unauthenticated"},
                "message": {"type": "string", "description": "in Vietnamese, for people"},
                "details": {"description": "what was wrong with the input, when known"},
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}


class CongDongSoAPI(NinjaAPI):
    """Documents the errors every operation can answer (in the one shape) beside its own responses."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                wanted = {422: "Dữ liệu gửi lên không hợp lệ"}
                if operation.get("security"):
                    wanted[401] = "Chưa đăng nhập"
                    if method != "get":
                        wanted[403] = "Thiếu mã bảo vệ CSRF (đăng nhập bằng phiên)"
                if "{" in path:
                    wanted[404] = "Không tìm thấy (hoặc ngoài phạm vi của bạn)"
                for status, description in wanted.items():
                    if str(status) not in responses and status not in responses:
                        responses[str(status)] = {**ref, "description": description}
        return schema


api = CongDongSoAPI(
    title="Cộng Đồng Số API",
    version="1",
    description="Every error answers {\"error\": {\"code\", \"message\", \"details\"?}}. Auth: the session "
    "(with X-CSRFToken on writes) or, where listed, a device token (Authorization: Bearer).",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: object = None):
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return _error(request, 404, "not_found", _("Không tìm thấy."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return _error(request, 401, "unauthenticated", _("Bạn cần đăng nhập."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    # Raised by ninja itself, e.g. a session request without its CSRF token (403).
    codes = {400: ("bad_request", _("Nội dung gửi lên không đọc được.")),
             403: ("forbidden", _("Yêu cầu bị từ chối (thiếu mã bảo vệ CSRF hoặc không có quyền).")),
             429: ("throttled", _("Bạn gửi quá nhiều yêu cầu, hãy thử lại sau."))}
    code, message = codes.get(exc.status_code, ("error", _("Yêu cầu không thực hiện được.")))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError):
    return _error(request, 422, "invalid", _("Dữ liệu gửi lên không hợp lệ."), exc.errors)


api.add_router("/units", units_router)
api.add_router("/teams", teams_router)
api.add_router("/households", households_router)
api.add_router("/catalog", catalog_router)
api.add_router("/outreach", outreach_router)
api.add_router("/scams", scams_router)
api.add_router("/feedback", feedback_router)
api.add_router("/devices", devices_router)
api.add_router("/", sync_router)
api.add_router("/campaigns", campaigns_router)
