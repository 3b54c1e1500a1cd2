from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congdongso.catalog import vietqr
from congdongso.catalog.models import Service, Skill
from congdongso.catalog.services import MAX_AGE, MAX_PRIORITY
from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.common.text import clean_name
from congdongso.households.models import Device, Tag

CODE_HELP = _("Chữ cái không dấu, chữ số, gạch ngang; ví dụ hue-s. Mã không sửa được và không bao giờ dùng lại.")


def _name(value: str, message) -> str:
    name = clean_name(value)
    if not name:
        raise ValidationError(message)
    return name


def _number(label, *, required: bool = False, min_value: int = 0, max_value: int, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, min_value=min_value, max_value=max_value, help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Trường này không được để trống."),
            "invalid": _("Cần nhập một số nguyên."),
            "min_value": _("Giá trị nhỏ nhất là %(limit_value)s."),
            "max_value": _("Giá trị lớn nhất là %(limit_value)s."),
        },
    )


class ServiceCreateForm(VietnameseErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã dịch vụ"), max_length=40, help_text=CODE_HELP,
        error_messages={"required": _("Cần nhập mã dịch vụ."), "max_length": _("Mã dịch vụ tối đa 40 ký tự.")},
    )
    name = forms.CharField(
        label=_("Tên dịch vụ"), max_length=200,
        error_messages={"required": _("Cần nhập tên dịch vụ."), "max_length": _("Tên dịch vụ quá dài.")},
    )
    skill = forms.ChoiceField(label=_("Thuộc kỹ năng số cơ bản"), choices=Skill.choices, initial=Skill.LOCAL_PLATFORM)
    description = forms.CharField(
        label=_("Mô tả ngắn"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Mô tả tối đa 300 ký tự.")},
    )
    needs_smartphone = forms.BooleanField(label=_("Cần điện thoại thông minh"), required=False, initial=True)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        if not code or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in code):
            raise ValidationError(_("Mã dịch vụ chỉ gồm chữ cái không dấu, chữ số, gạch ngang (tối đa 40 ký tự)."))
        if Service.objects.filter(code=code).exists():
            raise ValidationError(_("Mã dịch vụ này đã được dùng (mã không bao giờ được dùng lại)."))
        return code

    def clean_name(self) -> str:
        return _name(self.cleaned_data["name"], _("Cần nhập tên dịch vụ."))


class ServiceEditForm(VietnameseErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên dịch vụ"), max_length=200,
        error_messages={"required": _("Cần nhập tên dịch vụ."), "max_length": _("Tên dịch vụ quá dài.")},
    )
    description = forms.CharField(
        label=_("Mô tả ngắn"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Mô tả tối đa 300 ký tự.")},
    )
    needs_smartphone = forms.BooleanField(label=_("Cần điện thoại thông minh"), required=False)
    is_active = forms.BooleanField(label=_("Đang dùng (bỏ chọn để ngừng gợi ý và ẩn khỏi danh mục)"), required=False)

    def clean_name(self) -> str:
        return _name(self.cleaned_data["name"], _("Cần nhập tên dịch vụ."))


class ServiceChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        # A NUL in the posted id would reach the lookup, whose validator answers in English.
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RuleForm(VietnameseErrorsMixin, forms.Form):
    service = ServiceChoiceField(
        label=_("Dịch vụ gợi ý"), queryset=Service.objects.none(),
        error_messages={"required": _("Cần chọn dịch vụ."), "invalid_choice": _("Dịch vụ không có trong danh mục của tỉnh.")},
    )
    reason = forms.CharField(
        label=_("Lý do hiển thị cho thành viên"), max_length=200,
        help_text=_("Một dòng ngắn, ví dụ: Hộ kinh doanh: chưa nhận thanh toán QR"),
        error_messages={
            "required": _("Cần nhập lý do hiển thị cho thành viên."), "max_length": _("Lý do hiển thị tối đa 200 ký tự."),
        },
    )
    tags_any = forms.MultipleChoiceField(
        label=_("Áp dụng cho hộ có một trong các đặc điểm (để trống: mọi hộ)"), choices=Tag.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = _number(_("Người được hướng dẫn từ tuổi"), max_value=MAX_AGE)
    max_age = _number(_("đến tuổi"), max_value=MAX_AGE, help_text=_("Để trống nếu không giới hạn tuổi."))
    devices = forms.MultipleChoiceField(
        label=_("Người được hướng dẫn dùng (để trống: mọi thiết bị)"), choices=Device.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = _number(
        _("Độ ưu tiên (số nhỏ được gợi ý trước)"), required=True, max_value=MAX_PRIORITY,
        help_text=_("Quy tắc toàn quốc: 1–9 hộ kinh doanh, người cao tuổi; 10 VNeID; 20–70 kỹ năng chung."),
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda s: f"{s.name} ({s.get_skill_display()})"

    def clean_reason(self) -> str:
        return _name(self.cleaned_data["reason"], _("Cần nhập lý do hiển thị cho thành viên."))

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("Tuổi đến không được nhỏ hơn tuổi từ."))
        service, devices = data.get("service"), data.get("devices")
        if service is not None and service.needs_smartphone and devices and Device.SMARTPHONE not in devices:
            self.add_error("devices", _("Dịch vụ này cần điện thoại thông minh: không thể gợi ý cho người không có."))
        return data


class VietQRForm(VietnameseErrorsMixin, forms.Form):
    """What the sign needs. Nothing here is stored unless the owner ticks `store`."""

    bank = forms.ChoiceField(label=_("Ngân hàng"), error_messages={"invalid_choice": _("Ngân hàng không có trong danh sách.")})
    account_number = forms.CharField(
        label=_("Số tài khoản nhận tiền"), max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Chỉ số tài khoản. Không bao giờ hỏi số thẻ, mật khẩu hay mã OTP."),
        error_messages={"required": _("Cần nhập số tài khoản."), "max_length": _("Số tài khoản quá dài.")},
    )
    account_name = forms.CharField(
        label=_("Tên chủ tài khoản (như trên ngân hàng)"), max_length=vietqr.NAME_MAX, required=False,
        error_messages={"max_length": _("Tên chủ tài khoản tối đa %(limit_value)d ký tự.")},
    )
    shop_name = forms.CharField(
        label=_("Tên cửa hàng (in to trên biển)"), max_length=vietqr.SHOP_MAX, required=False,
        error_messages={"max_length": _("Tên cửa hàng tối đa %(limit_value)d ký tự.")},
    )
    amount = forms.CharField(
        label=_("Số tiền cố định (đồng, để trống để khách tự nhập)"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"max_length": _("Số tiền quá dài.")},
    )
    purpose = forms.CharField(
        label=_("Nội dung chuyển khoản (không bắt buộc)"), max_length=100, required=False,
        help_text=_("Dấu tiếng Việt sẽ được bỏ; tối đa 25 ký tự."),
        error_messages={"max_length": _("Nội dung chuyển khoản quá dài.")},
    )
    store = forms.BooleanField(
        label=_("Chủ hộ đồng ý lưu thông tin tài khoản để in lại lần sau"), required=False, initial=False,
    )

    def __init__(self, *args, can_store: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = [("", _("— Chọn ngân hàng —"))] + [(b.key, b.label) for b in vietqr.banks()]
        self.fields["bank"].error_messages["required"] = _("Cần chọn ngân hàng.")
        if not can_store:
            del self.fields["store"]

    def clean_account_number(self) -> str:
        return vietqr.clean_account(self.cleaned_data["account_number"])

    def clean_account_name(self) -> str:
        return clean_name(self.cleaned_data["account_name"])

    def clean_shop_name(self) -> str:
        return clean_name(self.cleaned_data["shop_name"])

    def clean_amount(self) -> int | None:
        return vietqr.clean_amount(self.cleaned_data["amount"].strip())

    def clean_purpose(self) -> str:
        return vietqr.clean_purpose(self.cleaned_data["purpose"])
