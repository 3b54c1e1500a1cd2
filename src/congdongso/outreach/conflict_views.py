"""The conflict review page for commune officers: both versions side by side, keep one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congdongso.accounts.gate import scoped
from congdongso.accounts.models import User
from congdongso.catalog.models import Service
from congdongso.outreach.conflicts import conflict_in_scope_or_404, conflict_resolve, conflicts_visible
from congdongso.outreach.models import Channel, ConflictStatus, Outcome

PAGE_SIZE = 20


def _labels() -> dict[str, str]:
    return {
        "member": _("Người gửi"), "household_id": _("Hộ"), "resident_id": _("Nhân khẩu"), "services": _("Dịch vụ"),
        "outcome": _("Kết quả"), "channel": _("Hình thức"), "occurred_at": _("Thời điểm"),
        "independent": _("Tự sử dụng được"), "note": _("Ghi chú"), "campaign_id": _("Chiến dịch"),
        "type": _("Loại"), "follow_up_id": _("Việc cần quay lại"), "fields": _("Các trường sửa"),
        "village_id": _("Thôn"), "tags": _("Đặc điểm hộ"), "resident_count": _("Số nhân khẩu"),
        "consent": _("Đồng ý cung cấp thông tin"), "head_name": _("Tên chủ hộ"), "address_line": _("Địa chỉ"),
        "phone": _("Số điện thoại"),
    }


def _flat(content: dict) -> dict:
    """One level: an event's payload keys beside its own (member, type, occurred_at)."""
    flat = {k: v for k, v in content.items() if k != "payload"}
    flat.update(content.get("payload") or {})
    return flat


def _shown(key: str, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if key == "services":
        return ", ".join(names.get(code, code) for code in value)
    if key == "outcome" and value in Outcome.values:
        return str(Outcome(value).label)
    if key == "channel" and value in Channel.values:
        return str(Channel(value).label)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(k, v, names)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _rows(conflict) -> list[dict]:
    stored, incoming = _flat(conflict.stored), _flat(conflict.incoming)
    codes = set(stored.get("services") or []) | set(incoming.get("services") or [])
    names = dict(Service.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    for version in (stored, incoming):
        if isinstance(version.get("member"), int):
            version["member"] = str(User.objects.filter(pk=version["member"]).first() or version["member"])
    labels = _labels()
    keys = list(dict.fromkeys([*stored, *incoming]))
    return [
        {
            "label": labels.get(key, key), "stored": _shown(key, stored.get(key), names),
            "incoming": _shown(key, incoming.get(key), names), "differs": stored.get(key) != incoming.get(key),
        }
        for key in keys
    ]


@scoped
def conflicts(request: HttpRequest) -> HttpResponse:
    items = conflicts_visible(request.user).order_by("status", "-received_at", "-pk")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "outreach/conflicts.html",
        {"page_obj": page, "open_count": items.filter(status=ConflictStatus.OPEN).count()},
    )


@scoped
@require_http_methods(["GET", "POST"])
def conflict_detail(request: HttpRequest, conflict_id: int) -> HttpResponse:
    conflict = conflict_in_scope_or_404(request.user, conflict_id)
    if request.method == "POST":
        try:
            conflict_resolve(conflict=conflict, keep=request.POST.get("keep", ""), actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã xử lý xung đột: %(choice)s.") % {"choice": conflict.get_status_display()})
            return redirect("outreach:conflicts")
    return render(
        request, "outreach/conflict_detail.html",
        {"conflict": conflict, "rows": _rows(conflict), "is_open": conflict.status == ConflictStatus.OPEN,
         "KEPT_STORED": ConflictStatus.KEPT_STORED, "KEPT_INCOMING": ConflictStatus.KEPT_INCOMING},
    )
