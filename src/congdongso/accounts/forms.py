from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from congdongso.accounts import throttle
from congdongso.accounts.passwords import Estimate, estimate
from congdongso.common.forms import VietnameseErrorsMixin


class ThrottledLoginForm(VietnameseErrorsMixin, AuthenticationForm):
    """The login form, refusing further tries after too many failures for a name or an address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
        "locked": _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."),
    }

    def clean(self):
        username = self.data.get("username", "")[:150]
        client = self._client_address()
        if throttle.is_locked(username, client):
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked",
                params={"minutes": max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.note_failure(username, client)
            raise
        # Only a real sign-in clears the count: a post with an empty password authenticates nothing
        # and must not reset it (else every fifth try could be an empty one, and guessing never stops).
        if self.user_cache is not None:
            throttle.clear(username, client)
        return cleaned

    def _client_address(self) -> str:
        return self.request.META.get("REMOTE_ADDR", "unknown") if self.request else "unknown"


class SecondFactorForm(VietnameseErrorsMixin, forms.Form):
    """The code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Mã xác thực"), max_length=40,
        help_text=_("6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục (dạng xxxx-xxxx-xxxx)."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}),
    )


class EnrolmentForm(VietnameseErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PasswordChangeWithEstimateForm(VietnameseErrorsMixin, PasswordChangeForm):
    """Django's password change, whose page also shows the strength estimate of the new password."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Mật khẩu hiện tại không đúng."),
        "password_mismatch": _("Hai mật khẩu mới không khớp nhau."),
    }

    def estimate(self) -> Estimate | None:
        password = self.data.get("new_password1", "") if self.is_bound else ""
        return estimate(password, self.user) if password else None
