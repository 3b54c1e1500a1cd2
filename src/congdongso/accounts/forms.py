from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from congdongso.accounts import throttle
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
