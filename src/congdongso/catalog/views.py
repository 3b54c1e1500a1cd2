from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import get_in_scope_or_404
from congdongso.audit.access import access_record
from congdongso.catalog import selectors, services, vietqr
from congdongso.catalog.forms import RuleForm, ServiceCreateForm, ServiceEditForm, VietQRForm
from congdongso.catalog.models import MerchantAccount, RecommendationRule, Skill
from congdongso.common.text import fold
from congdongso.households.models import Household

PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 200


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


# --- the catalogue --------------------------------------------------------------------------------


@scoped
def service_list(request: HttpRequest) -> HttpResponse:
    """National services and those of the user's provinces, filterable by skill and by words
    (without diacritics: "thanh toan" finds "Thanh toán")."""
    managed = selectors.provinces_managed(request.user)
    managed_ids = {p.pk for p in managed}
    services_qs = selectors.services_visible(request.user, include_inactive=bool(managed))
    skill = request.GET.get("skill", "")
    if skill in Skill.values:
        services_qs = services_qs.filter(skill=skill)
    else:
        skill = ""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    rows = list(services_qs)
    # Inactive services are listed only to those who can switch them back on.
    rows = [s for s in rows if s.is_active or s.province_id in managed_ids]
    if query:
        key = fold(query)
        rows = [s for s in rows if key in fold(f"{s.code} {s.name} {s.description}")]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in (("q", query), ("skill", skill)) if v}
    return render(
        request, "catalog/service_list.html",
        {
            "page_obj": page, "query": query, "skill": skill, "skills": Skill.choices, "managed": managed,
            "managed_ids": managed_ids, "query_string": urlencode(params),
        },
    )


def _managed_province_or_404(request: HttpRequest, province_id: int):
    province = selectors.province_in_scope_or_404(request.user, province_id)
    if not selectors.can_manage_catalog(request.user, province):
        raise PermissionDenied
    return province


@scoped
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, province_id: int) -> HttpResponse:
    province = _managed_province_or_404(request, province_id)
    form = ServiceCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(province=province, actor_id=request.user.pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Đã thêm dịch vụ %(name)s. Thêm quy tắc gợi ý để thành viên được nhắc hướng dẫn dịch vụ này.")
                % {"name": service.name},
            )
            return redirect("catalog:rules", province_id=province.pk)
    return render(request, "catalog/service_form.html", {"form": form, "province": province, "service": None})


@scoped
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_in_scope_or_404(request.user, service_id)
    if service.province is None or not selectors.can_manage_catalog(request.user, service.province):
        raise PermissionDenied
    initial = {field: getattr(service, field) for field in services.SERVICE_EDITABLE}
    form = ServiceEditForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(service=service, actor_id=request.user.pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu dịch vụ %(name)s.") % {"name": service.name})
            return redirect("catalog:list")
    return render(
        request, "catalog/service_form.html", {"form": form, "province": service.province, "service": service}
    )


# --- a province's recommendation rules -------------------------------------------------------------


@scoped
def rule_list(request: HttpRequest, province_id: int) -> HttpResponse:
    province = selectors.province_in_scope_or_404(request.user, province_id)
    page = Paginator(selectors.rules_for_page(province), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "catalog/rule_list.html",
        {"province": province, "page_obj": page, "can_manage": selectors.can_manage_catalog(request.user, province)},
    )


def _rule_values(form: RuleForm) -> dict:
    data = form.cleaned_data
    return {
        "service": data["service"], "tags_any": data["tags_any"], "min_age": data["min_age"],
        "max_age": data["max_age"], "devices": data["devices"], "priority": data["priority"], "reason": data["reason"],
    }


@scoped
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest, province_id: int) -> HttpResponse:
    """A new rule of the province; `?from=<national rule id>` starts from a national rule to adjust it."""
    province = _managed_province_or_404(request, province_id)
    initial: dict = {"priority": 50}
    source = None
    source_id = request.GET.get("from", "")
    if source_id.isdigit():
        source = RecommendationRule.objects.filter(pk=int(source_id), province__isnull=True).first()
    if source is not None:
        initial = {
            "service": source.service_id, "tags_any": source.tags_any, "min_age": source.min_age,
            "max_age": source.max_age, "devices": source.devices, "priority": source.priority, "reason": source.reason,
        }
    form = RuleForm(_posted(request), initial=initial, services=selectors.services_in_province(province.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_create(province=province, actor_id=request.user.pk, **_rule_values(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm quy tắc gợi ý của tỉnh."))
            return redirect("catalog:rules", province_id=province.pk)
    return render(
        request, "catalog/rule_form.html", {"form": form, "province": province, "rule": None, "source": source}
    )


@scoped
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = selectors.rule_in_scope_or_404(request.user, rule_id)
    province = rule.province
    if not selectors.can_manage_catalog(request.user, province):
        raise PermissionDenied
    initial = {
        "service": rule.service_id, "tags_any": rule.tags_any, "min_age": rule.min_age, "max_age": rule.max_age,
        "devices": rule.devices, "priority": rule.priority, "reason": rule.reason,
    }
    form = RuleForm(_posted(request), initial=initial, services=selectors.services_in_province(province.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(rule=rule, actor_id=request.user.pk, **_rule_values(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc gợi ý."))
            return redirect("catalog:rules", province_id=province.pk)
    return render(request, "catalog/rule_form.html", {"form": form, "province": province, "rule": rule, "source": None})


@scoped
@require_POST
def rule_active(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = selectors.rule_in_scope_or_404(request.user, rule_id)
    if not selectors.can_manage_catalog(request.user, rule.province):
        raise PermissionDenied
    is_active = request.POST.get("is_active") == "1"
    services.rule_active_set(rule=rule, is_active=is_active, actor_id=request.user.pk)
    if is_active:
        messages.success(request, _("Đã bật lại quy tắc."))
    else:
        messages.success(request, _("Đã tắt quy tắc. Nếu tỉnh không còn quy tắc nào cho dịch vụ này, quy tắc toàn quốc được áp dụng lại."))
    return redirect("catalog:rules", province_id=rule.province_id)


# --- the VietQR sign --------------------------------------------------------------------------------


def _household_back_url(household: Household | None) -> str:
    if household is None:
        return reverse("catalog:list")
    for name in ("outreach:visit", "households:detail"):
        try:
            return reverse(name, args=[household.pk])
        except NoReverseMatch:
            continue
    return reverse("catalog:list")


@scoped
@never_cache
@require_http_methods(["GET", "POST"])
def vietqr_sign(request: HttpRequest, household_id=None) -> HttpResponse:
    """Build a VietQR payment sign from what the member types in. Nothing is stored, unless the
    household's consent is in force and the owner agrees to keep the account for next time."""
    household = None
    if household_id is not None:
        household = get_in_scope_or_404(
            Household.objects.select_related("village"), request.user, unit_field="village", pk=household_id
        )
    stored = MerchantAccount.objects.filter(household=household).first() if household else None
    can_store = household is not None and household.has_consent
    if request.method == "POST" and request.POST.get("action") == "forget" and household is not None:
        services.merchant_account_forget(household=household, actor_id=request.user.pk)
        messages.success(request, _("Đã xóa thông tin tài khoản đã lưu."))
        return redirect(request.path)
    initial = {}
    if stored is not None and request.method == "GET":
        initial = {
            "bank": stored.bank, "account_number": stored.account_number, "account_name": stored.account_name,
            "shop_name": stored.shop_name,
        }
        services.merchant_account_viewed(household=household, actor_id=request.user.pk)
        access_record(request, what="vietqr", households=[household])
    form = VietQRForm(_posted(request), initial=initial, can_store=can_store)
    svg = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payload = vietqr.payload_build(
                bank_key=data["bank"], account=data["account_number"], amount=data["amount"], purpose=data["purpose"]
            )
            if data.get("store"):
                services.merchant_account_save(
                    household=household, bank=data["bank"], account_number=data["account_number"],
                    account_name=data["account_name"], shop_name=data["shop_name"], owner_consents=True,
                    actor_id=request.user.pk,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            svg = vietqr.sign_svg(
                payload=payload, bank=vietqr.bank_by_key(data["bank"]), account=data["account_number"],
                account_name=data["account_name"], shop_name=data["shop_name"], amount=data["amount"],
                purpose=data["purpose"],
            )
            services.vietqr_sign_made(household=household, bank=data["bank"], actor_id=request.user.pk)
            if request.POST.get("download"):
                response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="bien-vietqr.svg"'
                return response
    return render(
        request, "catalog/vietqr.html",
        {
            "form": form, "household": household, "stored": stored, "can_store": can_store,
            # Every piece of text in the sign is XML-escaped by the builder.
            "svg": mark_safe(svg.split("?>", 1)[-1]) if svg else "",
            "back_url": _household_back_url(household),
        },
    )
