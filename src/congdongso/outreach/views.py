"""The member's pages: the worklist, the visit screen (record help in two or three taps), follow-ups."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import unit_in_scope_or_404
from congdongso.audit.access import access_record
from congdongso.audit.writer import record
from congdongso.campaigns.selectors import campaigns_running_for_village
from congdongso.campaigns.visit import campaign_initial, campaign_remember
from congdongso.catalog.models import Skill
from congdongso.catalog.selectors import recommendations_for, services_visible, skills_at_a_glance
from congdongso.common.ids import new_id
from congdongso.households.models import Household, Resident, Tag
from congdongso.outreach import selectors, services
from congdongso.outreach.models import Assist
from congdongso.outreach.forms import OUTCOME_EFFECT, AssistForm, VisitOutcome, WorklistFilterForm, pick_value

PAGE_SIZE = 20

# Chips on a phone need short names; the full name is the chip's title.
SKILL_SHORT = {
    Skill.PUBLIC_SERVICES: _("DVC"),
    Skill.ONLINE_SHOPPING: _("Mua sắm"),
    Skill.ONLINE_PAYMENT: _("Thanh toán"),
    Skill.ONLINE_SAFETY: _("An toàn"),
    Skill.LOCAL_PLATFORM: _("Địa phương"),
}


def _posted(request: HttpRequest):
    """Form data on every POST, an empty one included."""
    return request.POST if request.method == "POST" else None


def household_label(household: Household) -> str:
    """The head's name; a counts-only household is named by the end of its id, which is all the
    member may keep about it."""
    if household.head_name:
        return household.head_name
    return _("Hộ %(code)s (chưa đồng ý cung cấp thông tin)") % {"code": household.short_code}


def resident_label(resident: Resident, number: int) -> str:
    name = resident.display_name or _("Nhân khẩu %(number)s") % {"number": number}
    if resident.birth_year:
        age = timezone.localdate().year - resident.birth_year
        return _("%(name)s (%(age)s tuổi)") % {"name": name, "age": age}
    return name


@scoped
def worklist(request: HttpRequest) -> HttpResponse:
    villages = selectors.villages_in_scope(request.user)
    form = WorklistFilterForm(request.GET or None, villages=villages)
    village = tag = None
    if form.is_valid():
        if form.cleaned_data["village"]:
            village = unit_in_scope_or_404(request.user, form.cleaned_data["village"])
        tag = form.cleaned_data["tag"] or None
    households = selectors.worklist(request.user, village=village, tag=tag)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    services.households_listed_record(actor_id=request.user.pk, households=list(page), page="worklist")
    access_record(request, what="worklist", households=page)
    filters = {key: value for key, value in (("village", village.pk if village else ""), ("tag", tag or "")) if value}
    return render(
        request, "outreach/worklist.html",
        {
            "form": form,
            "show_village_filter": len(villages) > 1,
            "village": village,
            "page_obj": page,
            "rows": [(h, household_label(h), [str(label) for label in h.tag_labels]) for h in page],
            "query_string": urlencode(filters),
            "filtered": bool(filters),
            "today": timezone.localdate(),
        },
    )


@scoped
@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, household_id: uuid.UUID) -> HttpResponse:
    household = selectors.household_in_scope_or_404(request.user, household_id)
    skills = skills_at_a_glance(household)
    residents = [(row.resident, resident_label(row.resident, n)) for n, row in enumerate(skills, start=1)]
    labels = {r.pk: label for r, label in residents}
    catalogue = list(selectors.services_for_household(household).order_by("sort_order", "code"))
    running = campaigns_running_for_village(household.village)
    form = AssistForm(
        _posted(request), services=catalogue, residents=residents, campaigns=running,
        initial={"campaign": campaign_initial(request.session, running)},
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_assist(request, household, form)
        if saved is not None:
            campaign_remember(request.session, running, form.cleaned_data["campaign"])
            assist, created = saved
            _confirm(request, household, form, assist, created, labels)
            return redirect("outreach:visit", household_id=household.pk)
    access_record(request, what="visit", households=[household])
    if household.has_consent:
        # Names and ages of the household's people are on this page: every view is audited.
        record(
            actor_id=request.user.pk, action="household.view", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id, details={"page": "visit"},
        )
    recommendations = [
        {"service": service, "reason": reason, "resident": resident, "value": pick_value(service, resident),
         "resident_label": labels.get(resident.pk) if resident is not None else ""}
        for service, reason, resident in recommendations_for(household, limit=5)
    ]
    return render(
        request, "outreach/visit.html",
        {
            "household": household,
            "label": household_label(household),
            "tags": [str(label) for label in household.tag_labels],
            "skill_rows": [
                {"label": labels[row.resident.pk], "resident": row.resident, "independent": row.independent_count,
                 "cells": [(cell, SKILL_SHORT[cell.skill]) for cell in row.cells]}
                for row in skills
            ],
            "recommendations": recommendations,
            "picked": form["pick"].value() if form.is_bound else "",
            "form": form,
            # A form shown again after an error keeps its id (the help is still the same help).
            "assist_id": (form.cleaned_data.get("assist_id") if form.is_bound else None) or new_id(),
            "outcomes": VisitOutcome.choices,
            "follow_ups": selectors.open_follow_ups(household),
            "recent": _recent_rows(household, labels),
            "today": timezone.localdate(),
        },
    )


def _recent_rows(household: Household, labels: dict) -> list[dict]:
    recent = selectors.recent_assists(household)
    names = selectors.service_names({code for assist in recent for code in assist.services})
    return [
        {
            "assist": assist,
            "services": ", ".join(names.get(code, code) for code in assist.services),
            "resident": labels.get(assist.resident_id, ""),
        }
        for assist in recent
    ]


def _save_assist(request: HttpRequest, household: Household, form: AssistForm):
    data = form.cleaned_data
    outcome, independent = OUTCOME_EFFECT[data["outcome"]]
    # The time of help is the time of the tap. A second tap on the same form (the id is already
    # stored) is compared with the first one as of the first one's time.
    first = Assist.objects.filter(pk=data["assist_id"]).only("occurred_at").first()
    fields = {
        "member": request.user, "household": household, "resident": data["chosen_resident"],
        "service_codes": [data["chosen_service"].code], "outcome": outcome, "channel": data["channel"],
        "occurred_at": first.occurred_at if first else timezone.now(), "independent": independent,
        "note": data["note"], "campaign_id": data["campaign"],
    }
    try:
        try:
            return services.assist_submit(assist_id=data["assist_id"], **fields)
        except services.AssistConflict:
            fields["occurred_at"] = timezone.now()
            # A page kept open (or reached with Back) after its assist was saved, now used for other
            # help: that is a new act of help, so it gets a new id.
            return services.assist_submit(assist_id=new_id(), **fields)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def _confirm(request, household, form, assist, created, labels) -> None:
    if not created:
        messages.info(request, _("Lượt hỗ trợ này đã được ghi nhận trước đó; không ghi thêm."))
        return
    data = form.cleaned_data
    who = labels.get(data["chosen_resident"].pk) if data["chosen_resident"] else _("cả hộ")
    messages.success(
        request,
        _("Đã lưu: %(service)s — %(who)s — %(outcome)s.")
        % {"service": data["chosen_service"].name, "who": who, "outcome": VisitOutcome(data["outcome"]).label},
    )
    follow_up = assist.follow_ups_created.first()
    if follow_up is not None:
        messages.info(
            request, _("Đã hẹn quay lại trước ngày %(date)s.") % {"date": follow_up.due_on.strftime("%d/%m/%Y")}
        )
    household.refresh_from_db(fields=["has_nucleus", "missing_skills"])
    if household.has_nucleus and data["outcome"] == VisitOutcome.INDEPENDENT:
        messages.success(request, _("Hộ đã có hạt nhân số: một người thành thạo cả 5 kỹ năng số cơ bản."))


@scoped
def follow_ups(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = selectors.follow_ups_to_do(request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "follow_up": f,
            "household_label": household_label(f.household) if f.household else "",
            "overdue": f.due_on < today,
            "due_today": f.due_on == today,
        }
        for f in page
    ]
    return render(
        request, "outreach/follow_ups.html",
        {"page_obj": page, "rows": rows, "today": today, "overdue_count": items.filter(due_on__lt=today).count()},
    )


@scoped
@require_POST
def follow_up_done(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = selectors.follow_up_in_scope_or_404(request.user, follow_up_id)
    try:
        services.follow_up_done(follow_up=follow_up, actor_id=request.user.pk)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Đã đánh dấu xong: %(reason)s.") % {"reason": follow_up.reason})
    next_url = request.POST.get("next", "")
    if next_url == "visit" and follow_up.household_id:
        return redirect("outreach:visit", household_id=follow_up.household_id)
    return redirect("outreach:follow_ups")


@scoped
def offline(request: HttpRequest) -> HttpResponse:
    """The page the phone's service worker keeps for when there is no network: the worklist and any
    household's visit screen, drawn by web/pwa/*.js from the phone's copy (IndexedDB). It holds no
    household data itself, only the frame, the catalogue and the outcome buttons."""
    catalogue = list(services_visible(request.user))
    return render(
        request, "outreach/offline.html",
        {
            "form": AssistForm(services=catalogue, residents=[]),
            "outcomes": VisitOutcome.choices,
            "tags": Tag.choices,
            "service_skills": {s.code: s.skill for s in catalogue},
            "zero_id": uuid.UUID(int=0),
        },
    )
