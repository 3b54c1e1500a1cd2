"""Household, consent and resident forms. Every text box refuses credentials and ID numbers
(`common.sensitive`), and every form says so to the member."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.common.phones import normalise_phone
from congdongso.common.sensitive import refuse_sensitive
from congdongso.common.text import clean_name
from congdongso.households.models import (
    CURRENT_NOTICE_VERSION,
    ConsentMethod,
    ConsentPurpose,
    Device,
    Sex,
    Tag,
)
from congdongso.households.services import MIN_BIRTH_YEAR

MAX_RESIDENTS = 99
PHONE_MESSAGE = _("Số điện thoại không hợp lệ (ví dụ 0912 345 678).")
NO_CONSENT_MESSAGE = _(
    "Hộ này chưa đồng ý cung cấp thông tin: chỉ được ghi số lượng, không ghi tên, năm sinh hay số điện thoại."
)


def _count_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_RESIDENTS, initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Cần nhập số nhân khẩu."),
            "invalid": _("Số nhân khẩu phải là một số, ví dụ 4."),
            "min_value": _("Số nhân khẩu phải từ 0 đến 99."),
            "max_value": _("Số nhân khẩu phải từ 0 đến 99."),
        },
    )


def _tags_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Đặc điểm của hộ"), choices=Tag.choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Đặc điểm hộ không hợp lệ.")},
    )


def _text_field(label, max_length: int, *, required: bool, required_message=None) -> forms.CharField:
    messages = {"max_length": _("Tối đa %(limit_value)d ký tự.")}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label, max_length=max_length, required=required, validators=[refuse_sensitive],
        error_messages=messages,
    )


def _phone_field(label) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=40, required=False, validators=[refuse_sensitive],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Ví dụ 0912 345 678. Không bắt buộc."),
        error_messages={"max_length": PHONE_MESSAGE},
    )


def _clean_phone(raw: str) -> str:
    if not raw:
        return ""
    phone = normalise_phone(raw)
    if phone is None:
        raise ValidationError(PHONE_MESSAGE)
    return phone


class HouseholdCreateForm(VietnameseErrorsMixin, forms.Form):
    """Counts and tags first: the household is stored without any personal detail."""

    village = forms.TypedChoiceField(
        label=_("Thôn/tổ dân phố"), coerce=int, empty_value=None,
        error_messages={"required": _("Cần chọn thôn/tổ dân phố."), "invalid_choice": _("Lựa chọn không hợp lệ.")},
    )
    resident_count = _count_field(_("Số nhân khẩu"))
    tags = _tags_field()

    def __init__(self, *args, villages: QuerySet, shown: list, **kwargs):
        """`villages`: every village the user may choose (checked on post); `shown`: those listed."""
        super().__init__(*args, **kwargs)
        self.villages = villages
        self.fields["village"].choices = [("", _("— Chọn thôn —"))] + [
            (v.pk, f"{v.name}, {v.parent.name}" if v.parent_id else v.name) for v in shown
        ]
        # A village found by the search box may be outside the listed page: accept any in scope.
        self.fields["village"].valid_value = lambda value: True

    def clean_village(self):
        village_id = self.cleaned_data["village"]
        in_range = village_id is not None and 0 < village_id < 2**63
        village = self.villages.filter(pk=village_id).first() if in_range else None
        if village is None:
            raise ValidationError(_("Lựa chọn không hợp lệ."))
        return village


class HouseholdProfileForm(VietnameseErrorsMixin, forms.Form):
    resident_count = _count_field(_("Số nhân khẩu"))
    tags = _tags_field()


class ConsentForm(VietnameseErrorsMixin, forms.Form):
    """Who consented, how, for which purposes, under which notice. Nothing is pre-ticked."""

    given_by = _text_field(
        _("Người đồng ý (họ tên hoặc cách gọi)"), 150, required=True, required_message=_("Cần ghi tên người đồng ý.")
    )
    method = forms.ChoiceField(
        label=_("Hình thức đồng ý"), choices=ConsentMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Cần chọn hình thức đồng ý.")},
    )
    purposes = forms.MultipleChoiceField(
        label=_("Người dân đồng ý cho các mục đích"), choices=ConsentPurpose.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cần chọn ít nhất một mục đích được đồng ý.")},
    )
    notice_version = forms.CharField(widget=forms.HiddenInput, max_length=16)
    notice_explained = forms.BooleanField(
        label=_("Tôi đã đọc hoặc giải thích thông báo trên cho người dân"),
        error_messages={"required": _("Cần đọc hoặc giải thích thông báo cho người dân trước khi ghi nhận đồng ý.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Never pre-ticked: no initial value for the purposes, the method or the notice box.
        self.fields["notice_version"].initial = CURRENT_NOTICE_VERSION

    def clean_given_by(self) -> str:
        name = clean_name(self.cleaned_data["given_by"])
        if not name:
            raise ValidationError(_("Cần ghi tên người đồng ý."))
        return name

    def clean_purposes(self) -> list[str]:
        purposes = self.cleaned_data["purposes"]
        if ConsentPurpose.DIGITAL_SUPPORT not in purposes:
            raise ValidationError(
                _("Để lưu thông tin cá nhân, người dân cần đồng ý mục đích “%(purpose)s”.")
                % {"purpose": ConsentPurpose.DIGITAL_SUPPORT.label}
            )
        return purposes

    def clean(self):
        cleaned = super().clean()
        # The notice read out must be the one in force; a page left open across an update is refused.
        if self.data.get("notice_version") != CURRENT_NOTICE_VERSION:
            raise ValidationError(_("Thông báo đã được cập nhật. Hãy đọc lại thông báo mới với người dân."))
        return cleaned


class HouseholdDetailsForm(VietnameseErrorsMixin, forms.Form):
    head_name = _text_field(_("Tên chủ hộ"), 150, required=True, required_message=_("Cần nhập tên chủ hộ."))
    address_line = _text_field(_("Địa chỉ (số nhà, ngõ, xóm)"), 200, required=False)
    phone = _phone_field(_("Số điện thoại của hộ"))

    def clean_head_name(self) -> str:
        name = clean_name(self.cleaned_data["head_name"])
        if not name:
            raise ValidationError(_("Cần nhập tên chủ hộ."))
        return name

    def clean_address_line(self) -> str:
        return clean_name(self.cleaned_data["address_line"])

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])


PERSONAL_RESIDENT_FIELDS = ("display_name", "birth_year", "phone")


class ResidentForm(VietnameseErrorsMixin, forms.Form):
    """A resident. Without consent only sex and device may be recorded (an anonymous resident)."""

    display_name = _text_field(_("Tên gọi"), 150, required=False)
    birth_year = forms.IntegerField(
        label=_("Năm sinh"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=Sex.choices, initial=Sex.UNSPECIFIED, widget=forms.RadioSelect,
        error_messages={"required": _("Cần chọn giới tính (hoặc “Không nêu”).")},
    )
    phone = _phone_field(_("Số điện thoại"))
    device = forms.ChoiceField(
        label=_("Điện thoại đang dùng"), choices=Device.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Cần chọn loại điện thoại người này đang dùng.")},
    )

    def __init__(self, *args, has_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_consent = has_consent
        self.fields["birth_year"].error_messages["invalid"] = _("Năm sinh phải là một số, ví dụ 1965.")
        if not has_consent:
            for name in PERSONAL_RESIDENT_FIELDS:
                del self.fields[name]

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year is not None and not MIN_BIRTH_YEAR <= year <= this_year:
            raise ValidationError(
                _("Năm sinh phải từ %(min)s đến %(max)s.") % {"min": MIN_BIRTH_YEAR, "max": this_year}
            )
        return year

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if not self.has_consent and any(str(self.data.get(name, "")).strip() for name in PERSONAL_RESIDENT_FIELDS):
            # A stale page or a forged post: personal details are refused, never silently dropped.
            raise ValidationError(NO_CONSENT_MESSAGE)
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "display_name": data.get("display_name", ""), "birth_year": data.get("birth_year"),
            "phone": data.get("phone", ""), "sex": data["sex"], "device": data["device"],
        }


class WithdrawForm(VietnameseErrorsMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Người dân đã yêu cầu rút lại đồng ý; tôi hiểu mọi tên, địa chỉ, số điện thoại của hộ sẽ bị xóa ngay"),
        error_messages={"required": _("Cần đánh dấu xác nhận để rút lại đồng ý.")},
    )
