"""Dashboards: a unit's indicators from tallies, its children ranked, targets, and the list of
villages without a team (households without a digital nucleus: the households app lists them)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import scope_of, top_units, unit_in_scope_or_404
from congdongso.geo.models import Level, Unit
from congdongso.indicators import selectors
from congdongso.indicators.forms import TargetForm
from congdongso.indicators.models import Target
from congdongso.indicators.services import TARGET_LEVELS, target_delete, target_set

LIST_PAGE_SIZE = 50


def _ancestors(request: HttpRequest, unit: Unit) -> list[Unit]:
    scope = scope_of(request.user)
    ancestors = Unit.objects.filter(pk__in=unit.ancestor_ids[:-1]).order_by("depth")
    return [a for a in ancestors if scope.contains(a)]


def _can_set_targets(request: HttpRequest, unit: Unit) -> bool:
    return unit.level in TARGET_LEVELS and unit.is_current and scope_of(request.user).manages(unit)


@scoped
def home(request: HttpRequest) -> HttpResponse:
    units = top_units(request.user)
    if not units:
        raise Http404
    return redirect("indicators:dashboard", unit_id=units[0].pk)


@scoped
def dashboard(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_in_scope_or_404(request.user, unit_id)
    sort = request.GET.get("sort", "")
    descending = request.GET.get("dir") == "desc"
    board = selectors.dashboard(unit, sort=sort, descending=descending)
    can_set = _can_set_targets(request, unit)
    return render(
        request, "indicators/dashboard.html",
        {
            "unit": unit, "ancestors": _ancestors(request, unit), "board": board, "sort": sort,
            "descending": descending, "is_village": unit.level == Level.VILLAGE,
            "chart_data": [
                {"label": s.indicator.name, "months": s.months, "values": s.values} for s in board.series
            ],
            "can_set_targets": can_set,
        },
    )


@scoped
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_in_scope_or_404(request.user, unit_id)
    if not _can_set_targets(request, unit):
        raise Http404
    form = TargetForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            target_set(unit=unit, actor_id=request.user.pk, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu mục tiêu."))
            return redirect("indicators:targets", unit_id=unit.pk)
    return render(
        request, "indicators/targets.html",
        {"unit": unit, "form": form, "targets": Target.objects.filter(unit=unit).select_related("indicator")},
    )


@scoped
@require_POST
def target_remove(request: HttpRequest, unit_id: int, target_id: int) -> HttpResponse:
    unit = unit_in_scope_or_404(request.user, unit_id)
    if not _can_set_targets(request, unit):
        raise Http404
    target = Target.objects.filter(unit=unit, pk=target_id).select_related("indicator").first()
    if target is None:
        raise Http404
    target_delete(target=target, actor_id=request.user.pk)
    messages.success(request, _("Đã xóa mục tiêu."))
    return redirect("indicators:targets", unit_id=unit.pk)


@scoped
@require_http_methods(["GET"])
def villages_without_team(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_in_scope_or_404(request.user, unit_id)
    page = Paginator(selectors.villages_without_team(unit), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "indicators/villages_without_team.html",
        {"unit": unit, "ancestors": _ancestors(request, unit), "page_obj": page},
    )

