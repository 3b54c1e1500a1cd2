from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.feedback.forms import PublicPlaceForm
from congdongso.feedback.selectors import PLACE_QUERY_MAX
from congdongso.geo.models import Level
from congdongso.privacy import services
from congdongso.privacy.models import Kind


class PublicRequestForm(PublicPlaceForm):
    """The public form (no account). The place picked is a commune or one of its villages;
    `cleaned_data["commune"]` is the commune."""

    kind = forms.ChoiceField(
        label=_("Bạn muốn yêu cầu gì?"), choices=Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn loại yêu cầu.")},
    )
    place_query = forms.CharField(
        label=_("Xã/phường nơi bạn ở"), max_length=PLACE_QUERY_MAX, required=False,
        help_text=_("Gõ tên, không dấu cũng được (ví dụ: an binh), rồi bấm Tìm."),
        error_messages={"max_length": _("Tên địa bàn quá dài.")},
    )
    name = forms.CharField(
        label=_("Họ và tên"), max_length=services.NAME_MAX,
        error_messages={"required": _("Hãy nhập họ tên."), "max_length": _("Họ tên tối đa %(limit_value)d ký tự.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại"), max_length=20,
        help_text=_("Cán bộ xã/phường sẽ gọi số này để xác minh yêu cầu là của bạn."),
        error_messages={
            "required": _("Hãy nhập số điện thoại để cán bộ xã gọi lại xác minh."),
            "max_length": _("Số điện thoại không hợp lệ (ví dụ 0912 345 678)."),
        },
    )
    details = forms.CharField(
        label=_("Nội dung (không bắt buộc)"), required=False, max_length=services.DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: thông tin nào cần sửa. Không ghi mật khẩu, mã OTP, số CCCD hay số thẻ ngân hàng."),
        error_messages={"max_length": _("Nội dung tối đa %(limit_value)d ký tự (hiện có %(show_value)d).")},
    )
    understood = forms.BooleanField(
        label=_(
            "Tôi hiểu rằng cán bộ xã/phường sẽ gọi điện hoặc gặp trực tiếp để xác minh trước khi thực hiện yêu cầu, "
            "và sẽ không bao giờ hỏi mật khẩu hay mã OTP của tôi."
        ),
        error_messages={"required": _("Hãy đánh dấu ô này để gửi yêu cầu.")},
    )
    def clean_name(self) -> str:
        return services.check_name(self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return services.check_phone(self.cleaned_data["phone"], required=True)

    def clean_details(self) -> str:
        return services.check_details(self.cleaned_data["details"])

    def clean(self):
        data = super().clean()
        unit = self.chosen_place(_("Hãy tìm và chọn xã/phường nơi bạn ở."))
        data["commune"] = (unit if unit.level == Level.COMMUNE else unit.parent) if unit is not None else None
        return data


class OfficerRequestForm(VietnameseErrorsMixin, forms.Form):
    """A request a person made to the officer in person or by phone."""

    kind = forms.ChoiceField(label=_("Loại yêu cầu"), choices=Kind.choices)
    commune = forms.ChoiceField(label=_("Xã/phường tiếp nhận"))
    subject_name = forms.CharField(label=_("Họ tên người yêu cầu"), max_length=services.NAME_MAX, required=False)
    subject_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    details = forms.CharField(
        label=_("Nội dung yêu cầu"), required=False, max_length=services.DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    processor_involved = forms.BooleanField(
        label=_("Cần bên xử lý dữ liệu khác thực hiện (hạn hoàn thành 20 ngày thay vì 15)"), required=False
    )
    received_on = forms.DateField(label=_("Ngày nhận"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, communes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = communes

    def clean_subject_phone(self) -> str:
        return services.check_phone(self.cleaned_data["subject_phone"], required=False)


class LinkForm(VietnameseErrorsMixin, forms.Form):
    household = forms.ChoiceField(label=_("Hộ gia đình"), error_messages={"required": _("Hãy chọn hộ gia đình.")})

    def __init__(self, *args, households: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", _("— Chọn hộ —")), *households]


class OutcomeForm(VietnameseErrorsMixin, forms.Form):
    outcome = forms.CharField(
        label=_("Kết quả / lý do"), required=False, max_length=services.OUTCOME_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Không ghi tên hay số điện thoại của người dân."),
    )

    def clean_outcome(self) -> str:
        try:
            return services.check_details(self.cleaned_data["outcome"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
