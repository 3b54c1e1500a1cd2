"""Household pages: list and search, create (counts first), consent, details, residents, withdrawal.

Every view is scoped: objects come through selectors that filter by the user's villages, so another
commune's household answers 404. Every page that shows a household's personal details records a
"household.view" audit event (ids only).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import unit_in_scope_or_404
from congdongso.audit.access import access_record
from congdongso.audit.writer import record
from congdongso.common.phones import display_phone
from congdongso.common.sensitive import NOTICE
from congdongso.common.text import fold
from congdongso.households import selectors, services
from congdongso.households.forms import (
    ConsentForm,
    HouseholdCreateForm,
    HouseholdDetailsForm,
    HouseholdProfileForm,
    ResidentForm,
    WithdrawForm,
)
from congdongso.households.models import (
    CURRENT_NOTICE_VERSION,
    TAG_FIELDS,
    ConsentPurpose,
    Household,
    Resident,
    Tag,
)
from congdongso.households.registry import skill_names

# More villages than this in scope (a province officer): a search box narrows them instead of one long list.
VILLAGE_CHOICES_MAX = 200
PLACE_MAX_LENGTH = 100


def _posted(request: HttpRequest):
    """Form data on every POST, an empty one included."""
    return request.POST if request.method == "POST" else None


def _int_param(value: str | None) -> int | None:
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _audit_view(request: HttpRequest, household: Household, page: str) -> None:
    """A page about to show this household's personal details: who looked, at which household."""
    access_record(request, what=f"household.{page}", households=[household])
    if household.has_consent:
        record(
            actor_id=request.user.pk, action="household.view", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id, details={"page": page},
        )


@scoped
def household_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    tag = request.GET.get("tag", "")
    tag = tag if tag in TAG_FIELDS else ""
    villages = selectors.villages_in_scope(request.user)
    village = None
    village_id = _int_param(request.GET.get("village"))
    if village_id is not None:
        village = villages.filter(pk=village_id).first()
    village_choices = list(villages[: VILLAGE_CHOICES_MAX + 1])
    unit_id = _int_param(request.GET.get("unit"))
    under = unit_in_scope_or_404(request.user, unit_id) if unit_id is not None else None
    without_nucleus = request.GET.get("nucleus") == "0"
    page = selectors.households_page(
        request.user, query=query, village_id=village.pk if village else None, tag=tag, under=under,
        without_nucleus=without_nucleus, page=request.GET.get("page"),
    )
    access_record(request, what="household.list", households=page)
    shown_with_details = [str(h.pk) for h in page if h.has_consent]
    if shown_with_details:
        record(
            actor_id=request.user.pk, action="household.list", object_type="households.household", object_id="",
            details={"households": shown_with_details},
        )
    params = {
        key: value
        for key, value in {
            "q": query, "village": village.pk if village else "", "tag": tag, "unit": under.pk if under else "",
            "nucleus": "0" if without_nucleus else "",
        }.items()
        if value
    }
    return render(
        request, "households/household_list.html",
        {
            "page_obj": page, "query": query, "tag": tag, "village": village, "tags": Tag.choices,
            "under": under, "without_nucleus": without_nucleus,
            "village_choices": village_choices[:VILLAGE_CHOICES_MAX],
            "many_villages": len(village_choices) > VILLAGE_CHOICES_MAX,
            "has_villages": bool(village_choices),
            "query_string": urlencode(params), "filtered": bool(params),
        },
    )


@scoped
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    villages = selectors.villages_in_scope(request.user)
    place = request.GET.get("place", "").replace("\x00", "").strip()[:PLACE_MAX_LENGTH]
    preselected = _int_param(request.GET.get("village"))
    shown = villages
    if place:
        key = fold(place)
        shown = villages.filter(search_name__contains=key) | villages.filter(parent__search_name__contains=key)
    shown = list(shown[: VILLAGE_CHOICES_MAX + 1])
    if preselected is not None and not any(v.pk == preselected for v in shown):
        shown = list(villages.filter(pk=preselected)) + shown
    form = HouseholdCreateForm(
        _posted(request), villages=villages, shown=shown[:VILLAGE_CHOICES_MAX],
        initial={"village": preselected, "resident_count": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = services.household_create(
                village=data["village"], tags=data["tags"], resident_count=data["resident_count"],
                actor_id=request.user.pk,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if "consent" in request.POST:
                return redirect("households:consent", household_id=household.pk)
            messages.success(request, _("Đã thêm hộ (chỉ lưu số lượng và đặc điểm)."))
            return redirect("households:detail", household_id=household.pk)
    return render(
        request, "households/household_create.html",
        {
            "form": form, "place": place, "many_villages": len(shown) > VILLAGE_CHOICES_MAX or bool(place),
            "no_villages": not villages.exists(), "notice": NOTICE,
        },
    )


@scoped
def household_detail(request: HttpRequest, household_id) -> HttpResponse:
    household = selectors.household_in_scope_or_404(request.user, household_id)
    _audit_view(request, household, "detail")
    names = skill_names()
    residents = [
        {"resident": r, "skills": [(label, code in r.skills) for code, label in names]}
        for r in selectors.residents_of(household)
    ]
    consent = selectors.consent_in_force(household)
    purposes = set(consent.purposes) if consent else set()
    return render(
        request, "households/household_detail.html",
        {
            "household": household, "residents": residents, "consent": consent,
            "consent_purposes": [label for value, label in ConsentPurpose.choices if value in purposes],
            "skill_count": len(names) or services.SKILL_COUNT,
            "tag_labels": [label for value, label in Tag.choices if value in household.tags],
        },
    )


@scoped
@require_http_methods(["GET", "POST"])
def household_profile(request: HttpRequest, household_id) -> HttpResponse:
    household = selectors.household_in_scope_or_404(request.user, household_id)
    form = HouseholdProfileForm(
        _posted(request), initial={"resident_count": household.resident_count, "tags": sorted(household.tags)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_count_set(
                household=household, resident_count=form.cleaned_data["resident_count"], actor_id=request.user.pk
            )
            services.household_tags_set(household=household, tags=form.cleaned_data["tags"], actor_id=request.user.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu số nhân khẩu và đặc điểm của hộ."))
            return redirect("households:detail", household_id=household.pk)
    return render(request, "households/household_profile.html", {"form": form, "household": household})


@scoped
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, household_id) -> HttpResponse:
    household = selectors.household_in_scope_or_404(request.user, household_id)
    in_force = selectors.consent_in_force(household)
    form = ConsentForm(_posted(request))
    if request.method == "POST" and in_force is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                household=household, given_by=data["given_by"], method=data["method"], purposes=data["purposes"],
                notice_version=CURRENT_NOTICE_VERSION, actor_id=request.user.pk,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi nhận đồng ý. Bây giờ có thể ghi tên và liên hệ của hộ."))
            return redirect("households:details", household_id=household.pk)
    return render(
        request, "households/consent_form.html",
        {
            "form": form, "household": household, "in_force": in_force, "notice_version": CURRENT_NOTICE_VERSION,
            "notice_template": f"households/notices/{CURRENT_NOTICE_VERSION}.html", "notice": NOTICE,
        },
    )


@scoped
@require_http_methods(["GET", "POST"])
def household_details(request: HttpRequest, household_id) -> HttpResponse:
    household = selectors.household_in_scope_or_404(request.user, household_id)
    form = HouseholdDetailsForm(
        _posted(request),
        initial={
            "head_name": household.head_name, "address_line": household.address_line,
            "phone": display_phone(household.phone) if household.phone else "",
        },
    )
    if request.method == "GET":
        _audit_view(request, household, "details")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.household_details_set(
                household=household, head_name=data["head_name"], address_line=data["address_line"],
                phone=data["phone"], actor_id=request.user.pk,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thông tin hộ."))
            return redirect("households:detail", household_id=household.pk)
    elif request.method == "POST" and not household.has_consent:
        # Refuse plainly even when the form has other errors too: nothing may be stored without consent.
        form.add_error(None, _("Hộ này chưa đồng ý cung cấp thông tin: không được lưu tên, địa chỉ hay số điện thoại."))
    return render(
        request, "households/household_details.html", {"form": form, "household": household, "notice": NOTICE}
    )


def _resident_form_page(request: HttpRequest, household: Household, resident: Resident | None) -> HttpResponse:
    initial = {}
    if resident is not None:
        initial = {
            "display_name": resident.display_name, "birth_year": resident.birth_year, "sex": resident.sex,
            "phone": display_phone(resident.phone) if resident.phone else "", "device": resident.device,
        }
    form = ResidentForm(_posted(request), initial=initial, has_consent=household.has_consent)
    if request.method == "GET" and resident is not None:
        _audit_view(request, household, "resident")
    if request.method == "POST" and form.is_valid():
        try:
            if resident is None:
                services.resident_add(household=household, actor_id=request.user.pk, **form.service_kwargs())
            else:
                services.resident_update(resident=resident, actor_id=request.user.pk, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu nhân khẩu."))
            return redirect("households:detail", household_id=household.pk)
    return render(
        request, "households/resident_form.html",
        {"form": form, "household": household, "resident": resident, "notice": NOTICE},
    )


@scoped
@require_http_methods(["GET", "POST"])
def resident_add(request: HttpRequest, household_id) -> HttpResponse:
    household = selectors.household_in_scope_or_404(request.user, household_id)
    return _resident_form_page(request, household, None)


@scoped
@require_http_methods(["GET", "POST"])
def resident_edit(request: HttpRequest, resident_id) -> HttpResponse:
    resident = selectors.resident_in_scope_or_404(request.user, resident_id)
    return _resident_form_page(request, resident.household, resident)


@scoped
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, household_id) -> HttpResponse:
    household = selectors.household_in_scope_or_404(request.user, household_id)
    consent = selectors.consent_in_force(household)
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and consent is not None and form.is_valid():
        try:
            services.consent_withdraw(household=household, actor_id=request.user.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã rút lại đồng ý và xóa thông tin cá nhân của hộ. Số lượng vẫn được giữ."))
            return redirect("households:detail", household_id=household.pk)
    return render(
        request, "households/consent_withdraw.html", {"form": form, "household": household, "consent": consent}
    )
