"""Pages of the scam shield: public lookup, checker and report; moderation, tactics, alerts and reach."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congdongso.accounts.gate import public, scoped
from congdongso.accounts.selectors import scope_of
from congdongso.audit.writer import record
from congdongso.geo.models import Unit
from congdongso.scams import checker, identifiers, imports, ratelimit, selectors, services
from congdongso.scams.forms import (
    AlertForm,
    CheckForm,
    DecisionForm,
    EntityTacticForm,
    ImportForm,
    LookupForm,
    MergeForm,
    ReachForm,
    ReportForm,
    TacticForm,
    UnlistForm,
)
from congdongso.scams.lookup import lookup as lookup_query
from congdongso.scams.models import Entity, ReachKind, Source, Tactic

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
MAX_REPORT_BODY = 16 * 1024
MAX_CHECK_BODY = 64 * 1024


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _too_many(request: HttpRequest, template: str, context: dict, bucket: str) -> HttpResponse:
    context["limited"] = ratelimit.LIMITS.too_many_message(bucket)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(ratelimit.retry_after(bucket))
    return response


def _too_large(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


# --- public --------------------------------------------------------------------------------------

@public
@require_http_methods(["GET"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "result": None}
    if form.is_bound:
        if not ratelimit.allow(request, "lookup"):
            return _too_many(request, "scams/lookup.html", context, "lookup")
        if form.is_valid():
            context["result"] = lookup_query(form.cleaned_data["q"])
    return render(request, "scams/lookup.html", context)


@public
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    form = CheckForm(_posted(request))
    context = {"form": form, "result": None}
    if request.method == "POST":
        if not ratelimit.allow(request, "check"):
            return _too_many(request, "scams/check.html", context, "check")
        if _too_large(request, MAX_CHECK_BODY):
            context["form"] = CheckForm()
            context["too_large"] = _("Nội dung gửi lên quá lớn.")
            return render(request, "scams/check.html", context, status=413)
        if form.is_valid():
            context["result"] = checker.check_message(form.cleaned_data["message"])
    return render(request, "scams/check.html", context)


@public
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    member = request.user.is_authenticated
    form = ReportForm(_posted(request), member=member, initial={"value": request.GET.get("q", "")[:300]})
    context = {"form": form, "member": member}
    if request.method == "POST":
        if not ratelimit.allow(request, "report"):
            return _too_many(request, "scams/report.html", context, "report")
        if _too_large(request, MAX_REPORT_BODY):
            context["form"] = ReportForm(member=member)
            context["too_large"] = _("Nội dung gửi lên quá lớn. Hãy rút gọn phần mô tả.")
            return render(request, "scams/report.html", context, status=413)
        if form.is_spam:
            # A robot filled the hidden field: answer as if all went well, keep nothing.
            logger.info("scam report dropped by the honeypot")
            return redirect("scams:report_sent")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_submit(
                    identifier=data["identifier"], source=Source.MEMBER if member else Source.PUBLIC,
                    channel=data["channel"], tactic=data["tactic"], details=data["details"],
                    contact=data["contact"], contact_consent=data["consent"],
                    unit=_reporter_unit(request.user) if member else data.get("province"),
                    reporter=request.user if member else None,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                return redirect("scams:report_sent")
    return render(request, "scams/report.html", context)


@public
def report_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "scams/report_sent.html")


def _reporter_unit(user) -> Unit | None:
    team = selectors.my_teams(user).first()
    if team is not None:
        return team.unit
    paths = scope_of(user).paths
    return Unit.objects.filter(path=paths[0]).first() if paths else None


# --- moderation ----------------------------------------------------------------------------------

def _moderator(request: HttpRequest) -> None:
    if not selectors.can_moderate(request.user):
        raise PermissionDenied


def _moderator_or_404(request: HttpRequest) -> None:
    """Pages about one entity or report: someone who may not moderate learns nothing, not even that
    the id exists (404, as for anything outside one's scope; the IDOR matrix in audit checks it)."""
    if not selectors.can_moderate(request.user):
        raise Http404


@scoped
def queue(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    page = Paginator(selectors.moderation_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "scams/queue.html", {"page_obj": page})


def _entity_page(request: HttpRequest, entity: Entity, **forms) -> HttpResponse:
    reports = list(selectors.entity_reports(request.user, entity))
    return render(
        request, "scams/entity.html",
        {
            "entity": entity, "reports": reports,
            "tactic_form": forms.get("tactic_form") or EntityTacticForm(initial={"tactic": entity.tactic_id}),
            "merge_form": forms.get("merge_form") or MergeForm(),
            "unlist_form": forms.get("unlist_form") or UnlistForm(),
            "decision_form": DecisionForm(),
            "merged_from": list(entity.merged_from.order_by("display")[:50]),
        },
        status=400 if forms else 200,
    )


@scoped
def entity_detail(request: HttpRequest, entity_id: int) -> HttpResponse:
    _moderator_or_404(request)
    entity = selectors.entity_in_scope_or_404(request.user, entity_id)
    if entity.merged_into_id:
        return redirect("scams:entity", entity_id=entity.merged_into_id)
    return _entity_page(request, entity)


@scoped
@require_POST
def entity_tactic(request: HttpRequest, entity_id: int) -> HttpResponse:
    _moderator_or_404(request)
    entity = selectors.entity_in_scope_or_404(request.user, entity_id)
    form = EntityTacticForm(request.POST)
    if not form.is_valid():
        return _entity_page(request, entity, tactic_form=form)
    services.entity_set_tactic(entity=entity, tactic=form.cleaned_data["tactic"], actor=request.user)
    messages.success(request, _("Đã cập nhật thủ đoạn."))
    return redirect("scams:entity", entity_id=entity.pk)


@scoped
@require_POST
def entity_merge(request: HttpRequest, entity_id: int) -> HttpResponse:
    _moderator_or_404(request)
    entity = selectors.entity_in_scope_or_404(request.user, entity_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        query = identifiers.parse_query(form.cleaned_data["target"])
        target = Entity.objects.filter(key__in=query.keys[:1]).first() if query.keys else None
        if target is None:
            form.add_error("target", _("Không tìm thấy đối tượng này trong hệ thống."))
        else:
            try:
                services.entity_merge(source=entity, target=target, actor=request.user)
            except ValidationError as exc:
                form.add_error("target", exc.messages[0])
            else:
                messages.success(request, _("Đã gộp vào %(target)s.") % {"target": target.display})
                return redirect("scams:entity", entity_id=entity.pk)
    return _entity_page(request, entity, merge_form=form)


@scoped
@require_POST
def entity_unlist(request: HttpRequest, entity_id: int) -> HttpResponse:
    _moderator_or_404(request)
    entity = selectors.entity_in_scope_or_404(request.user, entity_id)
    form = UnlistForm(request.POST)
    if form.is_valid():
        try:
            services.entity_unlist(entity=entity, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            form.add_error("reason", exc.messages[0])
        else:
            messages.success(request, _("Đã gỡ khỏi danh sách."))
            return redirect("scams:entity", entity_id=entity.pk)
    return _entity_page(request, entity, unlist_form=form)


@scoped
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    _moderator_or_404(request)
    report_obj = selectors.report_in_scope_or_404(request.user, report_id)
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_decide(
                report=report_obj, confirm=form.cleaned_data["decision"] == "confirm",
                reason=form.cleaned_data["reason"], actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("Đã ghi kết luận cho phản ánh #%(id)s.") % {"id": report_obj.pk})
            return redirect("scams:entity", entity_id=report_obj.entity.merged_into_id or report_obj.entity_id)
    if report_obj.contact and request.method == "GET":
        # Viewing a reporter's contact is viewing personal data: audited (ids only).
        record(
            actor_id=request.user.pk, action="scam_report.view_contact", object_type="scams.report",
            object_id=report_obj.pk, unit_id=report_obj.unit_id,
        )
    return render(request, "scams/report_detail.html", {"report": report_obj, "form": form})


@scoped
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    results, written = [], None
    if request.method == "POST" and form.is_valid():
        try:
            check_result = imports.check_rows(imports.read_csv(form.cleaned_data["file"]))
        except imports.FileProblem as exc:
            form.add_error("file", str(exc))
        else:
            results = check_result.results
            if check_result.ok:
                written = services.entities_import(
                    rows=check_result.rows, source_name=form.cleaned_data["source_name"], actor=request.user
                )
            else:
                form.add_error(None, _("Tệp có %(count)s dòng lỗi. Chưa ghi dòng nào; hãy sửa và nhập lại.")
                               % {"count": len(check_result.errors)})
    return render(request, "scams/import.html", {"form": form, "results": results, "batch": written})


# --- the tactic list -----------------------------------------------------------------------------

def _tactic_maintainer(request: HttpRequest) -> None:
    if not selectors.can_maintain_tactics(request.user):
        raise PermissionDenied


@scoped
def tactic_list(request: HttpRequest) -> HttpResponse:
    _tactic_maintainer(request)
    return render(request, "scams/tactic_list.html", {"tactics": Tactic.objects.order_by("-is_active", "name")})


@scoped
@require_http_methods(["GET", "POST"])
def tactic_create(request: HttpRequest) -> HttpResponse:
    _tactic_maintainer(request)
    form = TacticForm(_posted(request), initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            tactic = services.tactic_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã thêm thủ đoạn %(name)s.") % {"name": tactic.name})
            return redirect("scams:tactics")
    return render(request, "scams/tactic_form.html", {"form": form, "tactic": None})


@scoped
@require_http_methods(["GET", "POST"])
def tactic_edit(request: HttpRequest, tactic_id: int) -> HttpResponse:
    _tactic_maintainer(request)
    tactic = get_object_or_404(Tactic, pk=tactic_id)
    form = TacticForm(_posted(request), initial={f: getattr(tactic, f) for f in services.TACTIC_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.tactic_update(tactic=tactic, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lưu thủ đoạn %(name)s.") % {"name": tactic.name})
            return redirect("scams:tactics")
    return render(request, "scams/tactic_form.html", {"form": form, "tactic": tactic})


# --- alerts and reach ----------------------------------------------------------------------------

def _team_cards(request: HttpRequest, team) -> dict:
    alerts = list(selectors.alerts_for_team(team))
    reach = selectors.reach_of_team([a.pk for a in alerts], team)
    lookup_url = request.build_absolute_uri(reverse("scams:lookup"))
    return {
        "team": team,
        "alerts": [
            {"alert": a, "zalo_text": selectors.zalo_text(a, lookup_url), "reach": reach.get(a.pk)} for a in alerts
        ],
    }


@scoped
def alert_list(request: HttpRequest) -> HttpResponse:
    teams = [_team_cards(request, team) for team in selectors.my_teams(request.user)]
    visible = selectors.alerts_visible(request.user).order_by("-valid_from", "-id")
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "scams/alert_list.html",
        {
            "teams": teams, "page_obj": page, "can_publish": selectors.can_publish_anywhere(request.user),
            "reach_form": ReachForm(), "reach_kinds": ReachKind,
        },
    )


@scoped
def team_alerts(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_for_reach_or_404(request.user, team_id)
    return render(
        request, "scams/team_alerts.html",
        {"card": _team_cards(request, team), "reach_form": ReachForm(), "reach_kinds": ReachKind},
    )


@scoped
@require_http_methods(["GET", "POST"])
def alert_create(request: HttpRequest) -> HttpResponse:
    units = selectors.publishing_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = AlertForm(_posted(request), units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not selectors.can_publish_alert(request.user, data["unit"]):
            raise PermissionDenied
        try:
            alert = services.alert_publish(
                unit=data["unit"], title=data["title"], message=data["message"], valid_from=data["valid_from"],
                valid_until=data["valid_until"], tactic=data["tactic"], actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã phát hành cảnh báo “%(title)s”.") % {"title": alert.title})
            return redirect("scams:alert", alert_id=alert.pk)
    return render(request, "scams/alert_form.html", {"form": form})


@scoped
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_in_scope_or_404(request.user, alert_id)
    lookup_url = request.build_absolute_uri(reverse("scams:lookup"))
    return render(
        request, "scams/alert_detail.html",
        {
            "alert": alert, "zalo_text": selectors.zalo_text(alert, lookup_url),
            "reach": selectors.reach_for_alert(alert, request.user),
            "can_withdraw": alert.withdrawn_at is None and selectors.can_publish_alert(request.user, alert.unit),
        },
    )


@scoped
@require_POST
def alert_withdraw(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_in_scope_or_404(request.user, alert_id)
    if not selectors.can_publish_alert(request.user, alert.unit):
        raise PermissionDenied
    try:
        services.alert_withdraw(alert=alert, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Đã thu hồi cảnh báo."))
    return redirect("scams:alert", alert_id=alert.pk)


@scoped
@require_POST
def reach_record(request: HttpRequest, alert_id: int, team_id: int) -> HttpResponse:
    team = selectors.team_for_reach_or_404(request.user, team_id)
    alert = selectors.alert_in_scope_or_404(request.user, alert_id)
    form = ReachForm(request.POST)
    if form.is_valid():
        try:
            services.reach_record(
                alert=alert, team=team, kind=form.cleaned_data["kind"],
                households=form.cleaned_data.get("households") or 0, actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Đã ghi nhận. Cảm ơn bạn đã lan tỏa cảnh báo."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("scams:team_alerts", args=[team.pk])
    return redirect(target)
