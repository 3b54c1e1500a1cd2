from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from congdongso.accounts import throttle


class ThrottledLoginForm(AuthenticationForm):
    """The login form, refusing further tries after too many failures for a name or an address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "locked": _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."),
    }

    def clean(self):
        username = self.data.get("username", "")[:150]
        client = self._client_address()
        if throttle.is_locked(username, client):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.note_failure(username, client)
            raise
        throttle.clear(username, client)
        return cleaned

    def _client_address(self) -> str:
        return self.request.META.get("REMOTE_ADDR", "unknown") if self.request else "unknown"
