"""Pages of data-subject requests: the public form (no login) and the officers' queue and request
page (scoped to the communes they manage: anything else answers 404)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congdongso.accounts.gate import public, scoped
from congdongso.audit.writer import record
from congdongso.feedback import selectors as feedback_selectors
from congdongso.feedback.views import public_form_post
from congdongso.households.selectors import household_in_scope_or_404, resident_in_scope_or_404
from congdongso.privacy import exports, ratelimit, selectors, services
from congdongso.privacy.forms import LinkForm, OfficerRequestForm, OutcomeForm, PublicRequestForm
from congdongso.privacy.models import Kind, Status

PAGE_SIZE = 25


# --- public ---------------------------------------------------------------------------------------


def _initial(data) -> dict:
    initial = {name: (data.get(name) or "")[:1100] for name in ("kind", "place_query", "name", "phone", "details")}
    initial["understood"] = bool(data.get("understood"))  # the person's own tick, never ours
    return initial


@public
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """A person asks about their data without an account; see services.py for how it is verified."""
    searched = False
    chosen = ""
    if request.method == "POST":
        post = public_form_post(request, PublicRequestForm, _initial, ratelimit.LIMITS)
        if post.refused:
            return post.refused
        form, searched, chosen = post.form, post.searched, post.chosen
        if post.ready:
            data = form.cleaned_data
            try:
                created = services.request_submit(
                    kind=data["kind"], commune=data["commune"], name=data["name"], phone=data["phone"],
                    details=data["details"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return render(request, "privacy/sent.html", {"code": created.code, "commune": created.commune})
        query = request.POST.get("place_query") or ""
    else:
        form = PublicRequestForm(initial={"kind": request.GET.get("kind") if request.GET.get("kind") in Kind.values else ""})
        query = ""
    places = feedback_selectors.place_rows(query, chosen) if searched or chosen else []
    return render(request, "privacy/submit.html", {"form": form, "places": places, "searched": searched, "chosen": chosen})


# --- officers -------------------------------------------------------------------------------------


@scoped
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    status_value = request.GET.get("status", "open")
    if status_value not in ("open", "all", *Status.values):
        status_value = "open"
    filters = selectors.QueueFilter(status=status_value, overdue=request.GET.get("overdue") == "1")
    today = timezone.localdate()
    page = Paginator(selectors.queue(request.user, filters, today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "request": item,
            "ack_overdue": selectors.acknowledgement_overdue(item, today),
            "done_overdue": selectors.completion_overdue(item, today),
        }
        for item in page
    ]
    query = {"status": status_value, "overdue": "1" if filters.overdue else ""}
    return render(
        request, "privacy/queue.html",
        {
            "page_obj": page, "rows": rows, "filters": filters,
            "query_string": urlencode({k: v for k, v in query.items() if v}),
            "statuses": [("open", _("Đang mở")), ("all", _("Tất cả")), *Status.choices],
            "can_record": selectors.communes_managed(request.user).exists(),
        },
    )


def _uuid_or_404(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw)[:40])
    except ValueError as exc:
        raise Http404 from exc


@scoped
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    communes = list(selectors.communes_managed(request.user)[:500])
    if not communes:
        raise Http404
    household = resident = None
    raw_household = request.GET.get("household") or request.POST.get("household") or ""
    if raw_household:
        household = household_in_scope_or_404(request.user, _uuid_or_404(raw_household))
        communes = [c for c in communes if household.village.path.startswith(c.path)]
        if not communes:
            raise Http404
    raw_resident = request.GET.get("resident") or request.POST.get("resident") or ""
    if raw_resident:
        resident = resident_in_scope_or_404(request.user, _uuid_or_404(raw_resident))
        if household is None or resident.household_id != household.pk:
            raise Http404
    choices = [(str(c.pk), c.name) for c in communes]
    form = OfficerRequestForm(request.POST or None, communes=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commune = next(c for c in communes if str(c.pk) == data["commune"])
        try:
            created = services.request_record(
                kind=data["kind"], commune=commune, household=household, resident=resident,
                subject_name=data["subject_name"], subject_phone=data["subject_phone"], details=data["details"],
                processor_involved=data["processor_involved"], received_on=data["received_on"],
                actor_id=request.user.pk,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi nhận yêu cầu %(code)s.") % {"code": created.code})
            return redirect("privacy:request", request_id=created.pk)
    return render(request, "privacy/request_new.html", {"form": form, "household": household, "resident": resident})


def _detail(request: HttpRequest, item, *, status: int = 200, **forms) -> HttpResponse:
    today = timezone.localdate()
    candidates = selectors.household_candidates(request.user, item) if item.is_open and item.household_id is None else []
    context = {
        "item": item,
        "ack_overdue": selectors.acknowledgement_overdue(item, today),
        "done_overdue": selectors.completion_overdue(item, today),
        "restriction": selectors.restriction_in_force(item.household_id),
        "link_form": forms.get("link_form") or (
            LinkForm(households=_candidate_choices(candidates)) if candidates else None
        ),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "can_export": item.status != Status.VERIFYING,
        "Status": Status,
        "Kind": Kind,
    }
    return render(request, "privacy/request_detail.html", context, status=status)


def _candidate_choices(households) -> list[tuple[str, str]]:
    return [
        (str(h.pk), f"{h.head_name or _('Hộ chưa đồng ý cung cấp thông tin')} · {h.village.name} · {h.short_code}")
        for h in households
    ]


@scoped
@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    item = selectors.request_in_scope_or_404(request.user, request_id)
    if item.subject_name or item.subject_phone:
        # Seeing who asked is seeing personal data: audited (who, which request; never the details).
        record(
            actor_id=request.user.pk, action="privacy.view", object_type="privacy.request", object_id=item.pk,
            unit_id=item.commune_id,
        )
    return _detail(request, item)


def _refused(exc: ValidationError, data) -> OutcomeForm:
    """The outcome form (as typed) carrying a service's refusal, shown on the request page."""
    form = OutcomeForm(data)
    form.is_valid()
    form.add_error(None, exc)
    return form


STEPS = ("verify", "link", "acknowledge", "complete", "refuse", "lift")


@scoped
@require_POST
def request_step(request: HttpRequest, request_id: int, step: str) -> HttpResponse:
    item = selectors.request_in_scope_or_404(request.user, request_id)
    if step not in STEPS:
        raise Http404
    actor = request.user.pk
    try:
        if step in ("verify", "link"):
            household = None
            if request.POST.get("household"):
                candidates = selectors.household_candidates(request.user, item)
                form = LinkForm(request.POST, households=_candidate_choices(candidates))
                if not form.is_valid():
                    return _detail(request, item, status=400, link_form=form)
                household = household_in_scope_or_404(request.user, form.cleaned_data["household"])
            if step == "verify":
                services.request_verify(request=item, household=household, actor_id=actor)
                messages.success(request, _("Đã xác minh người yêu cầu."))
            elif household is None:
                raise ValidationError(_("Hãy chọn hộ gia đình."))
            else:
                services.request_link(request=item, household=household, actor_id=actor)
                messages.success(request, _("Đã gắn yêu cầu với hộ gia đình."))
        elif step == "acknowledge":
            services.request_acknowledge(request=item, actor_id=actor)
            messages.success(request, _("Đã ghi nhận việc xác nhận với người yêu cầu."))
        elif step in ("complete", "refuse"):
            form = OutcomeForm(request.POST)
            if not form.is_valid():
                return _detail(request, item, status=400, outcome_form=form)
            if step == "complete":
                services.request_complete(request=item, outcome=form.cleaned_data["outcome"], actor_id=actor)
                messages.success(request, _("Đã hoàn thành yêu cầu."))
            else:
                services.request_refuse(request=item, reason=form.cleaned_data["outcome"], actor_id=actor)
                messages.success(request, _("Đã từ chối yêu cầu."))
        else:
            restriction = selectors.restriction_in_force(item.household_id)
            if restriction is None:
                raise Http404
            services.restriction_lift(restriction=restriction, actor_id=actor)
            messages.success(request, _("Đã gỡ hạn chế xử lý."))
    except ValidationError as exc:
        item = selectors.request_in_scope_or_404(request.user, request_id)
        return _detail(request, item, status=400, outcome_form=_refused(exc, request.POST))
    return redirect("privacy:request", request_id=item.pk)


@scoped
@require_GET
def request_export(request: HttpRequest, request_id: int, file_format: str) -> HttpResponse:
    """Everything held about the subject, as a download; every export is audited."""
    item = selectors.request_in_scope_or_404(request.user, request_id)
    if file_format not in ("json", "xlsx"):
        raise Http404
    data = exports.subject_data(item)
    try:
        services.export_record(
            request=item, file_format=file_format, counts=exports.counts(data), actor_id=request.user.pk
        )
    except ValidationError as exc:
        return _detail(request, item, status=400, outcome_form=_refused(exc, {}))
    if file_format == "json":
        response = HttpResponse(exports.as_json(data), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="du-lieu-{item.code}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
