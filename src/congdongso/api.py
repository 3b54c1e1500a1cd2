"""The JSON API under /api/v1/: django-ninja, session auth by default, one error shape."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from congdongso.web.api import router as units_router
from congdongso.catalog.api import router as catalog_router
from congdongso.feedback.api import router as feedback_router
from congdongso.households.api import router as households_router
from congdongso.outreach.api import router as outreach_router
from congdongso.scams.api import router as scams_router
from congdongso.teams.api import router as teams_router

api = NinjaAPI(
    title="Cộng Đồng Số API",
    version="1",
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
