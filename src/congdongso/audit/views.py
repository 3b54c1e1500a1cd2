"""Officers' pages about the access log: who looked at the households of my communes, and unusual
volumes of looking across a province. Both answer 404 to anyone without the role, like any page
about something outside one's scope."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import unit_in_scope_or_404
from congdongso.audit import selectors
from congdongso.geo.models import Unit

PAGE_SIZE = 50

# What the person saw, in words; a kind not listed here shows its code.
WHAT_LABELS = {
    "household.detail": _("Trang hộ"),
    "household.details": _("Thông tin liên hệ của hộ"),
    "household.resident": _("Thông tin nhân khẩu"),
    "household.list": _("Danh sách hộ"),
    "household.api": _("API: một hộ"),
    "household.api_list": _("API: danh sách hộ"),
    "worklist": _("Danh sách hộ cần hỗ trợ"),
    "worklist.api": _("API: danh sách hộ cần hỗ trợ"),
    "visit": _("Màn hình hỗ trợ tại hộ"),
    "sync": _("Đồng bộ điện thoại"),
    "vietqr": _("Tài khoản nhận tiền của hộ (VietQR)"),
}


def _int_param(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@scoped
def accesses(request: HttpRequest) -> HttpResponse:
    if not selectors.may_read_accesses(request.user):
        raise Http404
    unit_id = _int_param(request.GET.get("unit"))
    unit = unit_in_scope_or_404(request.user, unit_id) if unit_id is not None else None
    page = Paginator(selectors.accesses_visible(request.user, unit=unit), PAGE_SIZE).get_page(request.GET.get("page"))
    villages = Unit.objects.select_related("parent").in_bulk({row.unit_id for row in page if row.unit_id})
    rows = [
        {
            "log": row, "what": WHAT_LABELS.get(row.what, row.what), "village": villages.get(row.unit_id),
            "household_code": str(row.household_id)[-6:].upper() if row.household_id else "",
        }
        for row in page
    ]
    return render(
        request, "audit/accesses.html",
        {"page_obj": page, "rows": rows, "unit": unit, "query_string": f"unit={unit.pk}" if unit else ""},
    )


@scoped
def volumes(request: HttpRequest) -> HttpResponse:
    if not selectors.may_read_volumes(request.user):
        raise Http404
    return render(
        request, "audit/volumes.html",
        {
            "rows": selectors.unusual_volumes(request.user), "recent_days": selectors.RECENT_DAYS,
            "usual_days": selectors.USUAL_DAYS, "factor": selectors.UNUSUAL_FACTOR,
            "floor": selectors.USUAL_FLOOR_PER_DAY,
        },
    )
