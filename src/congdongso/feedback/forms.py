from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.feedback import services
from congdongso.feedback.models import Category, Status
from congdongso.feedback.selectors import PLACE_QUERY_MAX, place_by_id
from congdongso.geo.models import Unit

HONEYPOT = "website"


class PublicPlaceForm(VietnameseErrorsMixin, forms.Form):
    """What the public forms share (this one and privacy's): a place chosen among the matches of
    their `place_query` field (radio buttons named `unit`, see feedback/_place_picker.html), and
    `website`, a honeypot people never see (feedback/_honeypot.html)."""

    website = forms.CharField(required=False, max_length=200)

    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def chosen_place(self, missing: str) -> Unit | None:
        """The unit picked, or None with an error on `place_query` (`missing` when none was picked)."""
        chosen = self.data.get("unit") or ""
        unit = place_by_id(chosen) if chosen else None
        if chosen and unit is None:
            self.add_error("place_query", _("Địa bàn đã chọn không hợp lệ. Hãy tìm và chọn lại."))
        elif unit is None:
            self.add_error("place_query", missing)
        return unit


class FeedbackForm(PublicPlaceForm):
    """The public form (`cleaned_data["unit"]` is the Unit chosen)."""

    category = forms.ChoiceField(
        label=_("Bạn muốn phản ánh về việc gì?"), choices=Category.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn loại phản ánh.")},
    )
    place_query = forms.CharField(
        label=_("Xã/phường hoặc thôn/tổ dân phố"), max_length=PLACE_QUERY_MAX, required=False,
        help_text=_("Gõ tên, không dấu cũng được (ví dụ: thon dong, an binh), rồi bấm Tìm."),
        error_messages={"max_length": _("Tên địa bàn quá dài.")},
    )
    text = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 6}), max_length=services.TEXT_MAX,
        help_text=_("Không ghi mật khẩu, mã OTP, số CCCD hay số thẻ ngân hàng."),
        error_messages={
            "required": _("Hãy viết nội dung phản ánh."),
            "max_length": _("Nội dung tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."),
        },
    )
    contact_name = forms.CharField(
        label=_("Tên của bạn"), max_length=services.NAME_MAX, required=False,
        error_messages={"max_length": _("Tên tối đa %(limit_value)d ký tự.")},
    )
    contact_phone = forms.CharField(
        label=_("Số điện thoại"), max_length=20, required=False,
        error_messages={"max_length": _("Số điện thoại không hợp lệ (ví dụ 0912 345 678).")},
    )
    contact_consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cán bộ xã/phường và tổ công nghệ số cộng đồng dùng tên và số điện thoại này để "
            "liên hệ với tôi về phản ánh này. Thông tin sẽ được xóa khi phản ánh được đóng."
        ),
        required=False, initial=False,
    )
    def clean_text(self) -> str:
        return services.check_report_text(self.cleaned_data["text"])

    def clean(self):
        data = super().clean()
        unit = self.chosen_place(_("Hãy tìm và chọn xã/phường hoặc thôn nơi bạn phản ánh."))
        if unit is not None and data.get("category"):
            try:
                services.check_place(unit, data["category"])
            except ValidationError as exc:
                self.add_error("place_query", exc)
        data["unit"] = unit
        if "contact_name" in data and "contact_phone" in data:
            try:
                name, phone = services.check_contact(
                    name=data["contact_name"], phone=data["contact_phone"], consent=data.get("contact_consent", False)
                )
            except ValidationError as exc:
                field = "contact_consent" if not data.get("contact_consent") else "contact_phone"
                if exc.code and exc.code.startswith("sensitive"):
                    field = "contact_name"
                self.add_error(field, exc)
            else:
                data["contact_name"], data["contact_phone"] = name, phone
        return data


class StatusLookupForm(VietnameseErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã theo dõi"), max_length=40,
        error_messages={"required": _("Hãy nhập mã theo dõi."), "max_length": _("Mã theo dõi không hợp lệ.")},
    )


class AssignForm(VietnameseErrorsMixin, forms.Form):
    assignee = forms.ChoiceField(
        label=_("Giao cho"), error_messages={"required": _("Hãy chọn tổ hoặc thành viên được giao.")}
    )
    household = forms.ChoiceField(
        label=_("Hộ gia đình (nếu đã biết)"), required=False,
        help_text=_("Gắn hộ thì việc hỗ trợ ghi nhận ở hộ này sẽ tự đóng phản ánh."),
    )

    def __init__(self, *args, assignees: list, households: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Chọn tổ hoặc thành viên —")), *assignees]
        self.fields["household"].choices = [("", _("— Chưa biết —")), *households]
        if not households:
            del self.fields["household"]


class StatusForm(VietnameseErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Chuyển sang"), error_messages={"required": _("Hãy chọn trạng thái mới.")})
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi từ chối; người gửi sẽ thấy)"), required=False, max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Lý do tối đa %(limit_value)d ký tự.")},
    )

    def __init__(self, *args, statuses: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in statuses]

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Cần ghi lý do từ chối (người gửi sẽ thấy lý do này)."))
        return data


class NoteForm(VietnameseErrorsMixin, forms.Form):
    VISIBILITY = [("internal", _("Ghi chú nội bộ (chỉ cán bộ và người được giao thấy)")),
                  ("public", _("Cập nhật công khai (người gửi thấy trên trang tra cứu)"))]
    visibility = forms.ChoiceField(label=_("Loại"), choices=VISIBILITY, initial="internal", widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Nội dung"), max_length=services.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Cập nhật công khai không được ghi tên, số điện thoại hay địa chỉ của người dân."),
        error_messages={
            "required": _("Cần nhập nội dung."),
            "max_length": _("Nội dung tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."),
        },
    )


class HouseholdForm(VietnameseErrorsMixin, forms.Form):
    household = forms.ChoiceField(label=_("Hộ gia đình"), error_messages={"required": _("Hãy chọn hộ gia đình.")})

    def __init__(self, *args, households: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", _("— Chọn hộ —")), *households]
