"""Pages of the feedback app: the public form, status by code and place search (no login), and the
officers' inbox and report page (scoped: out-of-scope reports answer 404)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congdongso.accounts.gate import public, scoped
from congdongso.common.ratelimit import RateLimits
from congdongso.audit.writer import record
from congdongso.feedback import ratelimit, selectors, services
from congdongso.feedback.codes import normalise_code
from congdongso.feedback.forms import (
    AssignForm, FeedbackForm, HouseholdForm, NoteForm, PublicPlaceForm, StatusForm, StatusLookupForm,
)
from congdongso.feedback.models import Category, Delivery, DeliveryStatus, Report, Status
from congdongso.households.models import Household

PAGE_SIZE = 25


# --- public ---------------------------------------------------------------------------------------


def _initial(data) -> dict:
    fields = ("category", "place_query", "text", "contact_name", "contact_phone")
    initial = {name: (data.get(name) or "")[:2100] for name in fields}
    # The resident's own tick survives a place search; it is never ticked for them.
    initial["contact_consent"] = bool(data.get("contact_consent"))
    return initial


@dataclass
class PublicPost:
    """Where the post of a public form stands (see `public_form_post`)."""

    form: PublicPlaceForm | None
    searched: bool
    chosen: str
    refused: HttpResponse | None = None  # the rate-limited page, to answer instead
    ready: bool = False  # valid and counted: the caller saves, adding a service's refusal to `form`


def public_form_post(
    request: HttpRequest, form_class: type[PublicPlaceForm], initial: Callable[[QueryDict], dict], limits: RateLimits
) -> PublicPost:
    """A post of a public form with a place search (this one and privacy's): every post counts under
    the "post" limit; a filled honeypot stores nothing and counts as a send; "Tìm" searches again
    keeping what was typed; a send is refused once the "submit" limit is spent."""
    if not limits.allow(request, "post"):
        return PublicPost(None, False, "", refused=limits.too_many_page(request, "post"))
    form = form_class(request.POST)
    chosen = (request.POST.get("unit") or "")[:20]
    if form.is_bot():
        limits.allow(request, "submit")
        form = form_class(initial=initial(request.POST))
        form.bot_refused = True
        return PublicPost(form, False, chosen)
    if request.POST.get("action") == "find":
        return PublicPost(form_class(initial=initial(request.POST)), True, chosen)
    if limits.exhausted(request, "submit"):
        return PublicPost(form, False, chosen, refused=limits.too_many_page(request, "submit"))
    ready = form.is_valid()
    if ready:
        limits.allow(request, "submit")
    return PublicPost(form, bool(form.data.get("place_query")), chosen, ready=ready)


@public
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    searched = False
    chosen = ""
    if request.method == "POST":
        post = public_form_post(request, FeedbackForm, _initial, ratelimit.LIMITS)
        if post.refused:
            return post.refused
        form, searched, chosen = post.form, post.searched, post.chosen
        if post.ready:
            data = form.cleaned_data
            try:
                report = services.report_submit(
                    category=data["category"], unit=data["unit"], text=data["text"],
                    contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                    contact_consent=data["contact_consent"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Đã nhận phản ánh. Mã theo dõi của bạn là %(code)s — hãy ghi lại mã này để xem kết quả xử lý.")
                    % {"code": report.code},
                )
                return redirect("feedback:status", code=report.code)
        query = (request.POST.get("place_query") or "")
    else:
        query = (request.GET.get("place") or "")[:100]
        initial = {"place_query": query}
        if request.GET.get("category") in Category.values:
            initial["category"] = request.GET["category"]
        form = FeedbackForm(initial=initial)
        searched = bool(query.strip())
        # A place search by link (?place=) costs what the as-you-type search costs, under its limit.
        if searched and not ratelimit.allow(request, "places"):
            return ratelimit.LIMITS.too_many_page(request, "places")
    places = selectors.place_rows(query, chosen) if searched or chosen else []
    return render(
        request, "feedback/submit.html",
        {"form": form, "places": places, "searched": searched, "chosen": chosen},
    )


@public
@require_GET
def places(request: HttpRequest) -> HttpResponse:
    """Places matching what the resident is typing, for the form's progressive enhancement."""
    if not ratelimit.allow(request, "places"):
        return JsonResponse(
            {"error": {"code": "rate_limited", "message": _("Bạn tìm quá nhiều lần. Vui lòng thử lại sau ít phút.")}},
            status=429, headers={"Retry-After": str(ratelimit.retry_after("places"))},
        )
    query = (request.GET.get("q") or "")[:100]
    units = selectors.places_matching(query) if len(query.strip()) >= 2 else []
    return JsonResponse({"results": [{"id": unit.pk, "label": selectors.place_label(unit)} for unit in units]})


@public
@require_GET
def status_lookup(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        if not ratelimit.allow(request, "status"):
            return ratelimit.LIMITS.too_many_page(request, "status")
        code = normalise_code(form.cleaned_data["code"])
        if code is None:
            form.add_error("code", _("Mã theo dõi gồm 8 chữ cái và chữ số, ví dụ K7M2QX9P."))
        elif selectors.report_by_code(code) is None:
            form.add_error("code", _("Không tìm thấy phản ánh nào có mã này. Hãy kiểm tra lại mã."))
        else:
            return redirect("feedback:status", code=code)
    return render(request, "feedback/status_lookup.html", {"form": form})


@public
@require_GET
def status(request: HttpRequest, code: str) -> HttpResponse:
    """The sender's view: status, public updates and dates; never the text or the contact."""
    if not ratelimit.allow(request, "status"):
        return ratelimit.LIMITS.too_many_page(request, "status")
    report = selectors.report_by_code(code)
    if report is None:
        form = StatusLookupForm({"code": code[:40]})
        form.is_valid()
        form.add_error("code", _("Không tìm thấy phản ánh nào có mã này. Hãy kiểm tra lại mã."))
        return render(request, "feedback/status_lookup.html", {"form": form}, status=404)
    if report.code != code:
        return redirect("feedback:status", code=report.code)
    return render(
        request, "feedback/status.html",
        {
            "report": report,
            "place": selectors.place_label(report.unit),
            "timeline": selectors.public_timeline(report),
            "overdue": selectors.is_overdue(report),
        },
    )


# --- officers and assignees -----------------------------------------------------------------------


@scoped
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    status_value = request.GET.get("status", "open")
    if status_value not in ("open", "all", *Status.values):
        status_value = "open"
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    code = (request.GET.get("code") or "").replace("\x00", "").strip()[:40]
    filters = selectors.InboxFilter(
        status=status_value, category=category, overdue=request.GET.get("overdue") == "1", code=code
    )
    page = Paginator(selectors.inbox(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"status": status_value, "category": category, "overdue": "1" if filters.overdue else "", "code": code}
    return render(
        request, "feedback/inbox.html",
        {
            "page_obj": page, "filters": filters,
            "query_string": urlencode({k: v for k, v in query.items() if v}),
            "statuses": [("open", _("Đang mở")), ("all", _("Tất cả")), *Status.choices],
            "categories": Category.choices,
            "today": timezone.localdate(),
        },
    )


def _permissions(request: HttpRequest, report: Report) -> tuple[bool, bool]:
    manager = selectors.can_manage(request.user, report)
    return manager, manager or selectors.is_assignee(request.user, report)


def _detail(request: HttpRequest, report: Report, *, status: int = 200, **forms) -> HttpResponse:
    manager, handler = _permissions(request, report)
    statuses = services.allowed_statuses(report, manager=manager) if handler else []
    # Households matter for a home visit (its follow-up closes with the assist recorded there).
    visit = report.category == Category.HOME_VISIT and report.is_open
    households = selectors.household_choices(request.user, report) if handler and visit else []
    context = {
        "report": report,
        "place": selectors.place_label(report.unit),
        "can_manage": manager,
        "can_handle": handler,
        "overdue": selectors.is_overdue(report),
        "notes": selectors.notes_of(report),
        "history": selectors.history_of(report),
        "deliveries": selectors.deliveries_of(report),
        # The household is picked with the first assignment; later (by the assignee too) on its own.
        "assign_form": forms.get("assign_form")
        or (
            AssignForm(assignees=selectors.assignment_choices(report), households=_first_assignment(report, households))
            if manager and report.is_open else None
        ),
        "status_form": forms.get("status_form") or (StatusForm(statuses=statuses) if statuses else None),
        "note_form": forms.get("note_form") or (NoteForm() if handler else None),
        "household_form": forms.get("household_form")
        or (
            HouseholdForm(households=households)
            if households and not report.household_id and report.status != Status.NEW else None
        ),
    }
    if report.has_contact:
        # Viewing a resident's contact details is audited (who, which report; never the details).
        record(
            actor_id=request.user.pk, action="feedback.contact_view", object_type="feedback.report",
            object_id=report.pk, unit_id=report.commune_id,
        )
    return render(request, "feedback/report_detail.html", context, status=status)


def _first_assignment(report: Report, households: list) -> list:
    return households if report.status == Status.NEW and not report.household_id else []


@scoped
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_in_scope_or_404(request.user, report_id)
    return _detail(request, report)


@scoped
@require_POST
def report_assign(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_in_scope_or_404(request.user, report_id)
    if not selectors.can_manage(request.user, report):
        raise PermissionDenied
    households = (
        _first_assignment(report, selectors.household_choices(request.user, report))
        if report.category == Category.HOME_VISIT else []
    )
    form = AssignForm(request.POST, assignees=selectors.assignment_choices(report), households=households)
    if form.is_valid():
        try:
            team, user = selectors.resolve_assignee(report, form.cleaned_data["assignee"])
        except ValueError:
            form.add_error("assignee", _("Lựa chọn không hợp lệ."))
        else:
            household = _household(request, report, form.cleaned_data.get("household"))
            try:
                services.report_assign(report=report, team=team, user=user, household=household, actor_id=request.user.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã phân công phản ánh %(code)s.") % {"code": report.code})
                return redirect("feedback:report", report_id=report.pk)
    report.refresh_from_db()
    return _detail(request, report, assign_form=form)


def _household(request: HttpRequest, report: Report, value: str | None) -> Household | None:
    if not value:
        return None
    allowed = {pk for pk, _label in selectors.household_choices(request.user, report)}
    if value not in allowed:
        return None
    return Household.objects.select_related("village").get(pk=value)


@scoped
@require_POST
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_in_scope_or_404(request.user, report_id)
    manager, handler = _permissions(request, report)
    statuses = services.allowed_statuses(report, manager=manager) if handler else []
    if not statuses:
        raise PermissionDenied
    form = StatusForm(request.POST, statuses=statuses)
    if form.is_valid():
        try:
            services.report_status_set(
                report=report, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"],
                actor_id=request.user.pk, manager=manager,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã chuyển phản ánh sang “%(status)s”.") % {"status": report.get_status_display()})
            return redirect("feedback:report", report_id=report.pk)
    report.refresh_from_db()
    return _detail(request, report, status_form=form)


@scoped
@require_POST
def report_note(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_in_scope_or_404(request.user, report_id)
    if not _permissions(request, report)[1]:
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.report_note_add(
                report=report, text=form.cleaned_data["text"], is_public=form.cleaned_data["visibility"] == "public",
                actor_id=request.user.pk,
            )
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("feedback:report", report_id=report.pk)
    return _detail(request, report, note_form=form)


@scoped
@require_POST
def report_household(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_in_scope_or_404(request.user, report_id)
    if not _permissions(request, report)[1]:
        raise PermissionDenied
    visit = report.category == Category.HOME_VISIT and report.is_open
    form = HouseholdForm(request.POST, households=selectors.household_choices(request.user, report) if visit else [])
    if form.is_valid():
        household = _household(request, report, form.cleaned_data["household"])
        try:
            if household is None:
                raise ValidationError(_("Hộ này không ở địa bàn của phản ánh."))
            services.report_household_set(report=report, household=household, actor_id=request.user.pk)
        except ValidationError as exc:
            form.add_error("household", exc)
        else:
            messages.success(request, _("Đã gắn hộ gia đình với phản ánh."))
            return redirect("feedback:report", report_id=report.pk)
    return _detail(request, report, household_form=form)


@scoped
@require_POST
def delivery_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = (
        Delivery.objects.filter(report__in=selectors.reports_visible(request.user))
        .select_related("report", "report__commune")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise Http404
    if not selectors.can_manage(request.user, delivery.report):
        raise PermissionDenied
    if delivery.status == DeliveryStatus.FAILED:
        services.delivery_retry(delivery=delivery, actor_id=request.user.pk)
        messages.success(request, _("Đã xếp lịch gửi lại thông báo."))
    return redirect(reverse("feedback:report", args=[delivery.report_id]) + "#deliveries")
