from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import scope_of, unit_in_scope_or_404, users_in_scope
from congdongso.common.text import fold
from congdongso.teams import selectors, services
from congdongso.teams.forms import MembershipEndForm, MembershipForm, TeamForm, TrainingForm

PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 200


def _posted(request: HttpRequest):
    """Form data on every POST, an empty one included (`request.POST or None` would answer an
    empty post with a blank form and no error)."""
    return request.POST if request.method == "POST" else None


@scoped
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_visible(request.user).order_by("unit__name", "name")
    # NUL cannot reach a PostgreSQL query; a search key longer than any name finds nothing anyway.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    if query:
        teams = teams.filter(unit__search_name__contains=fold(query)) | teams.filter(name__icontains=query)
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "teams/team_list.html",
        {"page_obj": page, "query": query, "query_string": urlencode({"q": query}) if query else ""},
    )


@scoped
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_in_scope_or_404(request.user, unit_id)
    if not scope_of(request.user).manages(unit):
        raise PermissionDenied
    form = TeamForm(_posted(request), initial={"name": _("Tổ CNSCĐ %(unit)s") % {"unit": unit.name}})
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
            team = services.team_create(unit=unit, actor_id=request.user.pk, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lập tổ %(name)s.") % {"name": team.name})
            return redirect("teams:detail", team_id=team.pk)
    return render(request, "teams/team_form.html", {"form": form, "unit": unit, "team": None})


@scoped
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_in_scope_or_404(request.user, team_id)
    return render(
        request, "teams/team_detail.html",
        {
            "team": team,
            "memberships": selectors.active_memberships(team),
            "former": team.memberships.filter(left_on__isnull=False).order_by("-left_on"),
            "can_manage": selectors.can_manage_team(request.user, team),
        },
    )


@scoped
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_in_scope_or_404(request.user, team_id)
    if not selectors.can_manage_team(request.user, team):
        raise PermissionDenied
    form = TeamForm(_posted(request), instance=None, initial={f: getattr(team, f) for f in services.TEAM_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, actor_id=request.user.pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thông tin tổ."))
            return redirect("teams:detail", team_id=team.pk)
    return render(request, "teams/team_form.html", {"form": form, "unit": team.unit, "team": team})


@scoped
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_in_scope_or_404(request.user, team_id)
    if not selectors.can_manage_team(request.user, team):
        raise PermissionDenied
    form = MembershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = None
        if data["username"]:
            # Only accounts already within the acting user's scope can be linked.
            user = users_in_scope(request.user).filter(username=data["username"]).first()
            if user is None:
                form.add_error("username", _("Không tìm thấy tài khoản này trong phạm vi của bạn."))
        if not form.errors:
            try:
                services.membership_add(
                    team=team, display_name=data["display_name"], role=data["role"],
                    affiliation=data["affiliation"], joined_on=data["joined_on"], user=user,
                    actor_id=request.user.pk,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã thêm thành viên %(name)s.") % {"name": data["display_name"]})
                return redirect("teams:detail", team_id=team.pk)
    return render(request, "teams/membership_form.html", {"form": form, "team": team})


@scoped
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_in_scope_or_404(request.user, membership_id)
    if not selectors.can_manage_team(request.user, membership.team):
        raise PermissionDenied
    form = MembershipEndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership, left_on=form.cleaned_data["left_on"], actor_id=request.user.pk
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi nhận thành viên rời tổ."))
            return redirect("teams:detail", team_id=membership.team_id)
    return render(request, "teams/membership_end.html", {"form": form, "membership": membership})


@scoped
@require_http_methods(["GET", "POST"])
def training_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_in_scope_or_404(request.user, unit_id)
    can_manage = scope_of(request.user).manages(unit)
    form = TrainingForm(_posted(request))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                training = services.training_create(unit=unit, actor_id=request.user.pk, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã tạo buổi tập huấn."))
                return redirect("teams:training", training_id=training.pk)
    trainings = unit.trainings.all()
    page = Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "teams/training_list.html", {"unit": unit, "page_obj": page, "form": form, "can_manage": can_manage}
    )


@scoped
@require_http_methods(["GET", "POST"])
def training_detail(request: HttpRequest, training_id: int) -> HttpResponse:
    training = selectors.training_in_scope_or_404(request.user, training_id)
    can_manage = scope_of(request.user).manages(training.unit)
    candidates = list(selectors.active_memberships_under(training.unit))
    attended = set(training.attendances.values_list("membership_id", flat=True))
    error = ""
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        by_id = {str(m.pk): m for m in candidates}
        chosen = request.POST.getlist("membership")
        if all(value in by_id for value in chosen):
            picked = [by_id[value] for value in dict.fromkeys(chosen)]
            services.attendance_set(training=training, memberships=picked, actor_id=request.user.pk)
            messages.success(request, _("Đã lưu danh sách tham dự (%(count)s người).") % {"count": len(picked)})
            return redirect("teams:training", training_id=training.pk)
        # A value that is not one of the listed members: a stale page or a forged request.
        # Nothing is saved; the list is shown again as it stands.
        error = _("Danh sách tham dự có lựa chọn không hợp lệ. Vui lòng chọn lại và lưu.")
    return render(
        request, "teams/training_detail.html",
        {
            "training": training, "candidates": candidates, "attended": attended, "can_manage": can_manage,
            "error": error,
        },
    )
