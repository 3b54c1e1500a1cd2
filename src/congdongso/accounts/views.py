from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from congdongso.accounts import selectors, services, session_rules, throttle, twofactor
from congdongso.accounts.forms import (
    EnrolmentForm,
    PasswordChangeWithEstimateForm,
    SecondFactorForm,
    ThrottledLoginForm,
)
from congdongso.accounts.gate import public, scoped
from congdongso.accounts.models import Role
from congdongso.accounts.passwords import estimate
from congdongso.accounts.session_rules import allowed_before_second_factor


class LoginView(auth_views.LoginView):
    """The password step; a user who must also give a code goes straight on to the code step."""

    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if session_rules.is_pending(self.request):
            return _second_step_url(self.request.user, url)
        return url


login = public(LoginView.as_view())
logout = allowed_before_second_factor(public(auth_views.LogoutView.as_view()))


# --- second factor -------------------------------------------------------------------------------

CODE_WRONG = gettext_lazy("Mã không đúng hoặc đã được dùng. Hãy nhập mã mới đang hiện trong ứng dụng.")
CODE_LOCKED = gettext_lazy("Bạn đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")


def _second_step_url(user, next_url: str) -> str:
    name = "accounts:two_factor" if twofactor.is_enrolled(user) else "accounts:two_factor_enrol"
    return f"{reverse(name)}?{_next_query(next_url)}"


def _next_query(next_url: str) -> str:
    return urlencode({"next": next_url}) if next_url else ""


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _demo_code(device) -> str:
    """The current code, shown only by a DEBUG demo (see TWO_FACTOR_DEMO_HINT; a system check refuses
    the setting without DEBUG)."""
    if not (settings.DEBUG and settings.TWO_FACTOR_DEMO_HINT) or device is None:
        return ""
    return twofactor.totp_for(device).now()


def _code_step_locked(request: HttpRequest, form) -> bool:
    if throttle.is_locked(request.user.username, throttle.client_address(request), throttle.CODE):
        form.add_error(None, CODE_LOCKED % {"minutes": throttle.window_minutes()})
        return True
    return False


def _code_step_failed(request: HttpRequest, form) -> None:
    throttle.note_failure(request.user.username, throttle.client_address(request), throttle.CODE)
    form.add_error("code", CODE_WRONG)


@allowed_before_second_factor
@scoped
@sensitive_post_parameters("code")
def two_factor(request: HttpRequest) -> HttpResponse:
    """The code step of signing in: a code from the app, or a recovery code."""
    if not session_rules.is_pending(request):
        return redirect(_safe_next(request))
    if not twofactor.is_enrolled(request.user):
        return redirect(_second_step_url(request.user, request.GET.get("next", "")))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and not _code_step_locked(request, form) and form.is_valid():
        result = twofactor.check_code(user=request.user, code=form.cleaned_data["code"])
        if result.ok:
            throttle.clear(request.user.username, throttle.client_address(request), throttle.CODE)
            session_rules.mark_verified(request)
            if result.used_recovery_code:
                messages.warning(
                    request,
                    _("Bạn vừa dùng một mã khôi phục; còn lại %(n)d mã. Hãy tạo mã mới nếu sắp hết.")
                    % {"n": twofactor.recovery_codes_left(request.user)},
                )
            return redirect(_safe_next(request))
        _code_step_failed(request, form)
    return render(
        request, "accounts/two_factor.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", ""),
         "demo_code": _demo_code(twofactor.confirmed_device(request.user))},
    )


@allowed_before_second_factor
@scoped
@sensitive_post_parameters("code")
@sensitive_variables("secret")
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), then type its first code.

    The key is shown only here, before the first right code; after that it is never shown again."""
    user = request.user
    if twofactor.is_enrolled(user):
        if session_rules.is_pending(request):
            return redirect(_second_step_url(user, request.GET.get("next", "")))
        return redirect("accounts:security")
    device = twofactor.enrolment_start(user=user)
    form = EnrolmentForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST" and not _code_step_locked(request, form) and form.is_valid():
        codes = twofactor.enrolment_confirm(user=user, code=form.cleaned_data["code"])
        if codes is not None:
            throttle.clear(user.username, throttle.client_address(request), throttle.CODE)
            if session_rules.is_pending(request):
                session_rules.mark_verified(request)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "continue_url": _safe_next(request)}
            )
        _code_step_failed(request, form)
    secret = twofactor.unseal(device.sealed_secret)
    return render(
        request, "accounts/two_factor_enrol.html",
        {
            "form": form, "next": next_url, "required": twofactor.is_required_for(user),
            "qr_svg": mark_safe(_qr_svg(twofactor.provisioning_uri(device))),  # segno's own SVG, no user text
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "demo_code": _demo_code(device),
        },
    )


def _qr_svg(uri: str) -> str:
    import segno

    return segno.make(uri, error="m", micro=False).svg_inline(scale=4, title=_("Mã QR để thêm vào ứng dụng xác thực"))


@scoped
def security(request: HttpRequest) -> HttpResponse:
    """My sign-in security: two-factor status, recovery codes left, links to change the password."""
    device = twofactor.confirmed_device(request.user)
    return render(
        request, "accounts/security.html",
        {"device": device, "codes_left": twofactor.recovery_codes_left(request.user) if device else 0,
         "required": twofactor.is_required_for(request.user), "form": EnrolmentForm()},
    )


@scoped
@require_POST
@sensitive_post_parameters("code")
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes (the old ones stop working), after a right code from the app."""
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two_factor_enrol")
    form = EnrolmentForm(request.POST)
    if not _code_step_locked(request, form) and form.is_valid():
        if twofactor.verify_totp(device, twofactor.normalise(form.cleaned_data["code"])):
            throttle.clear(request.user.username, throttle.client_address(request), throttle.CODE)
            codes = twofactor.recovery_codes_issue(user=request.user)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "continue_url": reverse("accounts:security")}
            )
        _code_step_failed(request, form)
    return render(
        request, "accounts/security.html",
        {"device": device, "codes_left": twofactor.recovery_codes_left(request.user),
         "required": twofactor.is_required_for(request.user), "form": form},
        status=200,
    )


# --- password ------------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change my password; the page shows zxcvbn's estimate of the new one ("Kiểm tra độ mạnh" checks
    it without changing anything)."""

    form_class = PasswordChangeWithEstimateForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def post(self, request, *args, **kwargs):
        if "check" in request.POST:
            password = request.POST.get("new_password1", "")
            return self.render_to_response(
                self.get_context_data(form=self.form_class(user=request.user),
                                      estimate=estimate(password, request.user) if password else None)
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form, estimate=form.estimate()))


password_change = scoped(PasswordChangeView.as_view())


# --- devices -------------------------------------------------------------------------------------------

DEVICES_PAGE_SIZE = 30


@scoped
def devices(request):
    """My phones (last sync, records waiting), and for an officer the phones of the members of the
    units they manage, each with a button to revoke it."""
    scope = selectors.scope_of(request.user)
    managed = Paginator(selectors.devices_managed(request.user).exclude(user=request.user), DEVICES_PAGE_SIZE)
    return render(
        request, "accounts/devices.html",
        {"own": list(selectors.devices_of(request.user)), "page_obj": managed.get_page(request.GET.get("page")),
         "manages": bool(scope.manager_paths) or Role.NATIONAL_ADMIN in scope.roles},
    )


@scoped
@require_POST
def device_revoke(request, device_pk: int):
    device = selectors.device_in_reach_or_404(request.user, device_pk)
    if device.is_revoked:
        messages.info(request, _("Thiết bị này đã bị thu hồi trước đó."))
    else:
        services.device_revoke(device=device, actor_id=request.user.pk)
        messages.success(request, _("Đã thu hồi thiết bị “%(name)s”: thiết bị không đồng bộ được nữa.") % {"name": device})
    return redirect("accounts:devices")
