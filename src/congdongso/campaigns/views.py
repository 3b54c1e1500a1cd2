"""Campaign pages: the list, create and edit (officers), live progress per unit with drill-down,
targets, the leaderboard; commendation proposals with their export."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import scope_of, top_units, unit_in_scope_or_404
from congdongso.campaigns import commendations, exports, selectors, services
from congdongso.campaigns.forms import CampaignForm, PeriodForm
from congdongso.campaigns.models import Campaign
from congdongso.geo.models import Level, Unit

# The page shows the first rows of each list; the export holds them all.
COMMENDATION_ROWS_SHOWN = 200


def _can_launch(request: HttpRequest, unit: Unit) -> bool:
    return unit.level in services.CAMPAIGN_LEVELS and unit.is_current and scope_of(request.user).manages(unit)


def _can_edit(request: HttpRequest, campaign: Campaign) -> bool:
    return scope_of(request.user).manages(campaign.unit)


def _status_groups(campaigns: list[Campaign]) -> list[tuple[str, str, list[Campaign]]]:
    today = timezone.localdate()
    groups = {selectors.Status.RUNNING: [], selectors.Status.UPCOMING: [], selectors.Status.ENDED: []}
    for campaign in campaigns:
        groups[selectors.status_of(campaign, today)].append(campaign)
    return [
        ("running", _("Đang diễn ra"), groups[selectors.Status.RUNNING]),
        ("upcoming", _("Sắp diễn ra"), groups[selectors.Status.UPCOMING]),
        ("ended", _("Đã kết thúc"), groups[selectors.Status.ENDED]),
    ]


@scoped
def campaign_list(request: HttpRequest) -> HttpResponse:
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = unit_in_scope_or_404(request.user, int(request.GET["unit"]))
        campaigns = selectors.campaigns_for_unit(request.user, unit)
    else:
        campaigns = selectors.campaigns_visible(request.user)
    if unit is not None:
        launch_units = [unit] if _can_launch(request, unit) else []
        commend_units = [unit] if scope_of(request.user).manages(unit) and unit.level != Level.VILLAGE else []
    else:
        tops = top_units(request.user) if not scope_of(request.user).everything else []
        launch_units = [u for u in tops if _can_launch(request, u)]
        commend_units = [u for u in tops if scope_of(request.user).manages(u) and u.level != Level.VILLAGE]
    groups = _status_groups(list(campaigns.order_by("-starts_on", "-pk")[:300]))
    return render(
        request, "campaigns/list.html",
        {
            "unit": unit, "groups": groups, "has_any": any(items for _key, _label, items in groups),
            "launch_units": launch_units, "commend_units": commend_units,
        },
    )


@scoped
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_in_scope_or_404(request.user, unit_id)
    if not _can_launch(request, unit):
        raise Http404
    form = CampaignForm(request.POST if request.method == "POST" else None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lập chiến dịch. Hãy đặt chỉ tiêu cho từng đơn vị."))
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "unit": unit, "campaign": None})


@scoped
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_in_scope_or_404(request.user, campaign_id)
    if not _can_edit(request, campaign):
        raise Http404
    initial = {
        "name": campaign.name, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
        "service": campaign.service, "description": campaign.description,
    }
    form = CampaignForm(request.POST if request.method == "POST" else None, unit=campaign.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu chiến dịch."))
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "unit": campaign.unit, "campaign": campaign})


@scoped
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_in_scope_or_404(request.user, campaign_id)
    starts = selectors.start_units(request.user, campaign)
    if len(starts) == 1:
        return _board_page(request, campaign, starts[0])
    return render(
        request, "campaigns/pick_unit.html",
        {"campaign": campaign, "units": starts, **_campaign_context(request, campaign)},
    )


@scoped
def campaign_unit(request: HttpRequest, campaign_id: int, unit_id: int) -> HttpResponse:
    campaign = selectors.campaign_in_scope_or_404(request.user, campaign_id)
    unit = selectors.unit_in_campaign_or_404(request.user, campaign, unit_id)
    return _board_page(request, campaign, unit)


def _campaign_context(request: HttpRequest, campaign: Campaign) -> dict:
    return {
        "status": selectors.status_of(campaign),
        "counts_what": (
            _("Tính các lượt hỗ trợ “%(service)s” đã xong, ghi cho chiến dịch.") % {"service": campaign.service.name}
            if campaign.service_id else _("Tính mọi lượt hỗ trợ ghi cho chiến dịch.")
        ),
        "can_edit": _can_edit(request, campaign),
    }


def _trail(request: HttpRequest, campaign: Campaign, unit: Unit) -> list[Unit]:
    """The units between the campaign's unit and this one that the user may open."""
    scope = scope_of(request.user)
    ids = unit.ancestor_ids[:-1]
    above = Unit.objects.filter(pk__in=ids, path__startswith=campaign.unit.path).order_by("depth")
    return [u for u in above if scope.contains(u)]


def _period_query(campaign: Campaign) -> str:
    """The campaign's dates so far, for the commendation page."""
    ends_on = min(campaign.ends_on, timezone.localdate())
    starts_on = min(campaign.starts_on, ends_on)
    return urlencode({"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})


def _board_page(request: HttpRequest, campaign: Campaign, unit: Unit) -> HttpResponse:
    board = selectors.board(campaign, unit)
    scope = scope_of(request.user)
    can_set = scope.manages(unit) and unit.is_current
    return render(
        request, "campaigns/board.html",
        {
            "campaign": campaign, "unit": unit, "board": board, "trail": _trail(request, campaign, unit),
            "can_set_targets": can_set and bool(board.children),
            "can_commend": scope.manages(unit) and unit.level != Level.VILLAGE,
            "period_query": _period_query(campaign),
            **_campaign_context(request, campaign),
        },
    )


@scoped
@require_POST
def targets_set(request: HttpRequest, campaign_id: int, unit_id: int) -> HttpResponse:
    campaign = selectors.campaign_in_scope_or_404(request.user, campaign_id)
    unit = selectors.unit_in_campaign_or_404(request.user, campaign, unit_id)
    if not scope_of(request.user).manages(unit):
        raise Http404
    children = list(Unit.objects.current().filter(parent=unit).only("pk", "name"))
    targets: dict[int, int | None] = {}
    bad = []
    for child in children:
        raw = request.POST.get(f"target-{child.pk}", "").strip().replace(".", "").replace(",", "")
        if raw == "":
            targets[child.pk] = None
        elif raw.isdigit() and int(raw) <= services.MAX_TARGET:
            targets[child.pk] = int(raw)
        else:
            bad.append(child.name)
    if bad:
        messages.error(
            request, _("Chỉ tiêu phải là số nguyên không âm: %(units)s.") % {"units": ", ".join(bad)}
        )
    else:
        try:
            changed = services.campaign_targets_set(actor=request.user, campaign=campaign, targets=targets)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu (%(count)s thay đổi).") % {"count": changed})
    return redirect("campaigns:unit", campaign_id=campaign.pk, unit_id=unit.pk)


@scoped
def leaderboard(request: HttpRequest, campaign_id: int, unit_id: int) -> HttpResponse:
    campaign = selectors.campaign_in_scope_or_404(request.user, campaign_id)
    unit = selectors.unit_in_campaign_or_404(request.user, campaign, unit_id)
    return render(
        request, "campaigns/leaderboard.html",
        {
            "campaign": campaign, "unit": unit, "rows": selectors.leaderboard(campaign, unit),
            "trail": _trail(request, campaign, unit), **_campaign_context(request, campaign),
        },
    )


# --- commendations --------------------------------------------------------------------------------


def _commendation_unit(request: HttpRequest, unit_id: int) -> Unit:
    """A province or commune (or legacy district) the user manages; anything else is a 404."""
    unit = unit_in_scope_or_404(request.user, unit_id)
    if unit.level == Level.VILLAGE or not scope_of(request.user).manages(unit):
        raise Http404
    return unit


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date | None, dt.date | None]:
    if "starts_on" in request.GET or "ends_on" in request.GET:
        form = PeriodForm(request.GET)
    else:
        form = PeriodForm(PeriodForm.default_initial())
    if form.is_valid():
        return form, form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
    return form, None, None


@scoped
@require_http_methods(["GET"])
def commendation_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _commendation_unit(request, unit_id)
    form, starts_on, ends_on = _period(request)
    proposal = None
    if starts_on is not None:
        proposal = commendations.proposal(unit, starts_on=starts_on, ends_on=ends_on)
    query = urlencode({"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()}) if proposal else ""
    return render(
        request, "campaigns/commendations.html",
        {
            "unit": unit, "form": form, "proposal": proposal, "query": query, "shown": COMMENDATION_ROWS_SHOWN,
            "limit": proposal.limit if proposal else commendations.burst_limit(),
            "members": proposal.members[:COMMENDATION_ROWS_SHOWN] if proposal else [],
            "teams": proposal.teams[:COMMENDATION_ROWS_SHOWN] if proposal else [],
        },
    )


@scoped
@require_http_methods(["GET"])
def commendation_export(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _commendation_unit(request, unit_id)
    file_format = request.GET.get("format", "xlsx")
    if file_format not in ("xlsx", "csv"):
        raise Http404
    _form, starts_on, ends_on = _period(request)
    if starts_on is None:
        messages.error(request, _("Khoảng thời gian không hợp lệ."))
        return redirect("campaigns:commendations", unit_id=unit.pk)
    proposal = commendations.proposal(unit, starts_on=starts_on, ends_on=ends_on)
    services.commendations_export_record(
        actor_id=request.user.pk, unit=unit, starts_on=starts_on, ends_on=ends_on, file_format=file_format,
        members=len(proposal.members), teams=len(proposal.teams),
    )
    if file_format == "xlsx":
        body, content_type = exports.proposal_xlsx(proposal), exports.XLSX_TYPE
    else:
        body, content_type = exports.proposal_csv(proposal), exports.CSV_TYPE
    response = HttpResponse(body, content_type=content_type)
    filename = f"de-xuat-khen-thuong-{unit.code}-{starts_on:%Y%m%d}-{ends_on:%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
