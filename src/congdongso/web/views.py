"""Pages at the top of the house: home, a unit's page, and unit administration (villages, merges)."""

import csv
import logging
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congdongso.accounts.gate import public, scoped
from congdongso.accounts.models import Role
from congdongso.accounts.selectors import scope_of, top_units, unit_in_scope_or_404
from congdongso.geo import services as geo_services
from congdongso.geo.models import Level, Unit
from congdongso.geo.village_import import FileProblem, check_village_rows, read_rows
from congdongso.teams.selectors import ChildCoverage, child_coverage, coverage, teams_in_unit
from congdongso.web.forms import MergeForm, RenameForm, VillageFileForm, VillageForm

PAGE_SIZE = 50
FIELD_ROLES = frozenset({Role.MEMBER, Role.TEAM_LEADER})

logger = logging.getLogger(__name__)


def _posted(request: HttpRequest):
    """Form data on every POST, an empty one included (`request.POST or None` would answer an
    empty post with a blank form and no error)."""
    return request.POST if request.method == "POST" else None


@public
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@scoped
def home(request: HttpRequest) -> HttpResponse:
    # Members and team leaders work from their worklist; officers start from their units.
    if scope_of(request.user).roles and scope_of(request.user).roles <= FIELD_ROLES:
        return redirect("outreach:worklist")
    units = top_units(request.user)
    if len(units) == 1:
        return redirect("web:unit", unit_id=units[0].pk)
    return render(request, "web/home.html", {"units": units})


@scoped
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_in_scope_or_404(request.user, unit_id)
    scope = scope_of(request.user)
    children = unit.children.filter(valid_until__isnull=True, is_legacy=False).order_by("name")
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    by_child = child_coverage(unit)
    rows = [(child, by_child.get(child.pk, ChildCoverage())) for child in page]
    ancestors = Unit.objects.filter(pk__in=unit.ancestor_ids[:-1]).order_by("depth")
    return render(
        request, "web/unit_detail.html",
        {
            "unit": unit,
            "ancestors": [a for a in ancestors if scope.contains(a)],
            "page_obj": page,
            "child_rows": rows,
            "coverage": coverage(unit),
            # A province has thousands of teams: its page lists communes, each with its coverage.
            "teams": teams_in_unit(request.user, unit) if unit.level != Level.PROVINCE else None,
            "can_manage": scope.manages(unit) and unit.is_current,
            "can_administer": scope.administers_units(unit) and unit.is_current and unit.level != Level.PROVINCE,
            "is_village": unit.level == Level.VILLAGE,
            "is_commune": unit.level == Level.COMMUNE,
        },
    )


def _managed_unit(request: HttpRequest, unit_id: int, *, level: str | None = None) -> Unit:
    unit = unit_in_scope_or_404(request.user, unit_id)
    if level and unit.level != level:
        raise PermissionDenied
    if not scope_of(request.user).manages(unit) or not unit.is_current:
        raise PermissionDenied
    return unit


@scoped
@require_http_methods(["GET", "POST"])
def village_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    commune = _managed_unit(request, unit_id, level=Level.COMMUNE)
    form = VillageForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            village = geo_services.village_create(commune=commune, actor_id=request.user.pk, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": village.name})
            return redirect("web:unit", unit_id=commune.pk)
    return render(request, "web/village_form.html", {"form": form, "unit": commune})


@scoped
@require_http_methods(["GET", "POST"])
def village_import(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _managed_unit(request, unit_id)
    form = VillageFileForm(_posted(request), request.FILES if request.method == "POST" else None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check = check_village_rows(_readable_rows(upload), within=[unit])
        except FileProblem as exc:
            form.add_error("file", str(exc))
        else:
            if check.ok:
                created = geo_services.villages_create_many(specs=check.specs, actor_id=request.user.pk)
                messages.success(request, _("Đã nhập %(count)s thôn/tổ dân phố.") % {"count": len(created)})
                return redirect("web:unit", unit_id=unit.pk)
            errors = check.errors
    return render(request, "web/village_import.html", {"form": form, "unit": unit, "errors": errors})


def _readable_rows(upload) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's rows, with every way a file can be unreadable turned into a FileProblem.

    Only the reading is guarded (opening the file and each `next`), so a database error while
    checking rows still surfaces as one. A cell holding a NUL character is refused here:
    PostgreSQL cannot store it.
    """
    rows = None
    while True:
        try:
            if rows is None:
                rows = iter(read_rows(upload, upload.name))
            line, row = next(rows)
        except StopIteration:
            return
        except FileProblem:
            raise
        except csv.Error:
            raise FileProblem(_("Không đọc được tệp CSV: tệp bị hỏng hoặc có ô quá dài.")) from None
        except Exception:  # a damaged workbook fails in many ways deep inside openpyxl
            logger.warning("unreadable village file %r", upload.name[:100], exc_info=True)
            raise FileProblem(_("Không đọc được tệp. Hãy kiểm tra lại tệp .csv hoặc .xlsx.")) from None
        if any("\x00" in value for value in row.values()):
            raise FileProblem(_("Dòng %(line)s có ký tự không hợp lệ (ký tự NUL).") % {"line": line})
        yield line, row


@scoped
@require_http_methods(["GET", "POST"])
def unit_merge(request: HttpRequest, unit_id: int) -> HttpResponse:
    target = _administered_unit(request, unit_id)
    candidates = list(
        Unit.objects.current()
        .filter(parent_id=target.parent_id, level=target.level)
        .exclude(pk=target.pk)
        .filter(scope_of(request.user).q())
        .order_by("name")
    )
    form = MergeForm(_posted(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        sources = [u for u in candidates if u.pk in set(form.cleaned_data["sources"])]
        try:
            geo_services.units_merge(
                sources=sources, target=target, effective_date=form.cleaned_data["effective_date"],
                actor_id=request.user.pk,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã sáp nhập %(count)s đơn vị vào %(name)s.") % {"count": len(sources), "name": target.name})
            return redirect("web:unit", unit_id=target.pk)
    return render(request, "web/unit_merge.html", {"form": form, "unit": target, "candidates": candidates})


@scoped
@require_http_methods(["GET", "POST"])
def unit_rename(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _administered_unit(request, unit_id)
    form = RenameForm(_posted(request), initial={"new_name": unit.name})
    if request.method == "POST" and form.is_valid():
        try:
            geo_services.unit_rename(unit=unit, actor_id=request.user.pk, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã đổi tên đơn vị."))
            return redirect("web:unit", unit_id=unit.pk)
    return render(request, "web/unit_rename.html", {"form": form, "unit": unit})


def _administered_unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = unit_in_scope_or_404(request.user, unit_id)
    if not scope_of(request.user).administers_units(unit) or not unit.is_current or unit.level == Level.PROVINCE:
        raise PermissionDenied
    return unit
