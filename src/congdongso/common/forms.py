"""Form helpers shared by every app: Vietnamese error messages for the errors Django itself raises.

Django's own Vietnamese catalog leaves some messages untranslated (a NUL character in a text field
answers "Null characters are not allowed."), and its wording differs from ours. Forms that mix in
`VietnameseErrorsMixin` replace Django's default messages with ours; a message a form sets itself
(through `error_messages=` on the field or `Meta.error_messages`) is kept.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COMMON_ERRORS = {
    "required": _("Trường này không được để trống."),
    # ProhibitNullCharactersValidator on every CharField; PostgreSQL refuses NUL in text anyway.
    "null_characters_not_allowed": _("Có ký tự không hợp lệ (ký tự NUL)."),
    "max_length": _("Tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."),
    "invalid_choice": _("Lựa chọn không hợp lệ."),
    "invalid_list": _("Lựa chọn không hợp lệ."),
}
ERRORS_BY_FIELD_TYPE = {
    forms.DateField: {"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    forms.URLField: {"invalid": _("Đường dẫn không hợp lệ.")},
    forms.FileField: {
        "invalid": _("Tệp không hợp lệ."),
        "missing": _("Không nhận được tệp."),
        "empty": _("Tệp trống."),
        "max_length": _("Tên tệp quá dài (tối đa %(max)d ký tự, hiện có %(length)d)."),
    },
}


def _django_defaults(field: forms.Field) -> dict:
    defaults: dict = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return defaults


def use_vietnamese_errors(field: forms.Field) -> None:
    """Put our messages in place of Django's defaults on one field, keeping any set explicitly."""
    ours = dict(COMMON_ERRORS)
    for field_type, messages in ERRORS_BY_FIELD_TYPE.items():
        if isinstance(field, field_type):
            ours.update(messages)
    defaults = _django_defaults(field)
    for code, message in ours.items():
        current = field.error_messages.get(code)
        if current is None or current is defaults.get(code):
            field.error_messages[code] = message


class VietnameseErrorsMixin:
    """Mix in before forms.Form / ModelForm: every field answers errors in Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            use_vietnamese_errors(field)


def not_in_future(value: dt.date | None, message) -> dt.date | None:
    """Refuse a date after today (local time), with the caller's message."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(message, code="future")
    return value
