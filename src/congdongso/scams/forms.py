import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.common.uploads import check_table_upload
from congdongso.geo.models import Level, Unit
from congdongso.scams import identifiers, rules
from congdongso.scams.checker import MAX_MESSAGE
from congdongso.scams.models import Channel, Kind, ReachKind, Tactic
from congdongso.scams.services import MAX_HOUSEHOLDS_PER_RECORD

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# The honeypot: a field people never see (hidden by CSS, skipped by keyboard and screen readers).
HONEYPOT = "website_url"


def _one_line(value: str) -> str:
    return " ".join(value.split())


class LookupForm(VietnameseErrorsMixin, forms.Form):
    q = forms.CharField(
        label=_("Số điện thoại, trang web, số tài khoản hoặc tài khoản mạng xã hội"), max_length=500,
        error_messages={"required": _("Hãy nhập điều bạn muốn tra cứu."), "max_length": _("Nội dung tra cứu quá dài.")},
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: 0912 345 678, example.vn, Vietcombank 0123456789"), "autofocus": True, "inputmode": "text"}),
    )


class CheckForm(VietnameseErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Dán nội dung tin nhắn cần kiểm tra"), max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={
            "required": _("Hãy dán nội dung tin nhắn cần kiểm tra."),
            "max_length": _("Tin nhắn quá dài (tối đa %(limit_value)d ký tự)."),
        },
    )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("Hãy dán nội dung tin nhắn cần kiểm tra."))
        return message


class ReportForm(VietnameseErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Bạn muốn phản ánh"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.PHONE)
    value = forms.CharField(
        label=_("Số điện thoại, địa chỉ trang web, số tài khoản hoặc tên tài khoản"), max_length=300,
        error_messages={"required": _("Cần nhập số điện thoại, trang web, số tài khoản hoặc tài khoản bị phản ánh."),
                        "max_length": _("Nội dung quá dài (tối đa 300 ký tự).")},
    )
    bank = forms.ChoiceField(label=_("Ngân hàng (nếu là tài khoản ngân hàng)"), required=False)
    platform = forms.ChoiceField(label=_("Mạng xã hội (nếu là tài khoản mạng xã hội)"), required=False)
    channel = forms.ChoiceField(label=_("Bạn nhận được qua"), choices=Channel.choices)
    tactic = forms.ModelChoiceField(
        label=_("Thủ đoạn (nếu biết)"), queryset=Tactic.objects.none(), required=False, empty_label=_("— Không rõ —")
    )
    details = forms.CharField(
        label=_("Nội dung tin nhắn, lời nói hoặc diễn biến (không bắt buộc)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Đừng ghi mã OTP, mật khẩu hay số thẻ của bạn."),
        error_messages={"max_length": _("Nội dung quá dài (tối đa %(limit_value)d ký tự).")},
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố nơi bạn ở (không bắt buộc)"), queryset=Unit.objects.none(), required=False,
        empty_label=_("— Không chọn —"),
    )
    contact = forms.CharField(
        label=_("Số điện thoại hoặc email để cơ quan chức năng liên hệ lại (không bắt buộc)"), max_length=200,
        required=False, error_messages={"max_length": _("Thông tin liên hệ quá dài (tối đa 200 ký tự).")},
    )
    consent = forms.BooleanField(
        label=_("Tôi đồng ý để cơ quan chức năng dùng thông tin liên hệ này để liên lạc với tôi về phản ánh này."),
        required=False, initial=False,
    )
    website_url = forms.CharField(label=_("Để trống ô này"), required=False, max_length=500)

    def __init__(self, *args, member: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["bank"].choices = [("", _("— Chọn ngân hàng —"))] + [(b.bin, b.label) for b in identifiers.banks()]
        self.fields["platform"].choices = [("", _("— Chọn mạng xã hội —"))] + [
            (p.code, p.label) for p in identifiers.PLATFORMS
        ]
        self.fields["tactic"].queryset = Tactic.objects.filter(is_active=True).order_by("name")
        if member:
            # A member's report carries their team's unit; the province question is for residents.
            del self.fields["province"]
        else:
            self.fields["province"].queryset = Unit.objects.current().filter(level=Level.PROVINCE).order_by("name")
            self.fields["province"].error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ.")
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        for name in ("bank", "platform", "channel", "kind"):
            self.fields[name].error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ.")
        self.fields["tactic"].error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ.")

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_value(self) -> str:
        value = _one_line(self.cleaned_data["value"])
        if not value:
            raise ValidationError(_("Cần nhập số điện thoại, trang web, số tài khoản hoặc tài khoản bị phản ánh."))
        return value

    def clean_details(self) -> str:
        return self.cleaned_data["details"].strip()

    def clean_contact(self) -> str:
        return _one_line(self.cleaned_data["contact"])

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), data.get("value")
        if kind and value:
            identifier, message = self._identify(kind, value, data)
            if identifier is None:
                self.add_error("value" if message[0] == "value" else message[0], message[1])
            else:
                data["identifier"] = identifier
        if data.get("contact") and not data.get("consent"):
            self.add_error("consent", _("Cần đánh dấu đồng ý nếu bạn muốn để lại thông tin liên hệ."))
        return data

    @staticmethod
    def _identify(kind: str, value: str, data: dict):
        if kind == Kind.PHONE:
            return identifiers.phone(value), ("value", _("Số điện thoại không hợp lệ. Ví dụ: 0912 345 678 hoặc +84 912 345 678."))
        if kind == Kind.WEBSITE:
            found = identifiers.website(value)
            return found, ("value", _("Địa chỉ trang web không hợp lệ. Ví dụ: example.vn hoặc https://example.vn/trang."))
        if kind == Kind.BANK_ACCOUNT:
            if not data.get("bank"):
                return None, ("bank", _("Cần chọn ngân hàng của tài khoản."))
            return identifiers.bank_account(data["bank"], value), ("value", _("Số tài khoản không hợp lệ (6–20 chữ số)."))
        if not data.get("platform"):
            return None, ("platform", _("Cần chọn mạng xã hội."))
        return identifiers.social(data["platform"], value), (
            "value", _("Tên tài khoản hoặc đường dẫn trang cá nhân không hợp lệ."),
        )


class DecisionForm(VietnameseErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết luận"), choices=[("confirm", _("Xác nhận lừa đảo")), ("reject", _("Bác bỏ"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần ghi lý do."), "max_length": _("Lý do quá dài (tối đa %(limit_value)d ký tự).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages.update(
            {"required": _("Cần chọn xác nhận hoặc bác bỏ."), "invalid_choice": _("Lựa chọn không hợp lệ.")}
        )

    def clean_reason(self) -> str:
        reason = _one_line(self.cleaned_data["reason"])
        if len(reason) < 3:
            raise ValidationError(_("Cần ghi lý do (ít nhất 3 ký tự)."))
        return reason


class MergeForm(VietnameseErrorsMixin, forms.Form):
    target = forms.CharField(
        label=_("Gộp vào đối tượng (nhập số, trang web hoặc tài khoản đã có)"), max_length=500,
        error_messages={"required": _("Cần nhập đối tượng cần gộp vào."), "max_length": _("Nội dung quá dài.")},
    )


class EntityTacticForm(VietnameseErrorsMixin, forms.Form):
    tactic = forms.ModelChoiceField(
        label=_("Thủ đoạn"), queryset=Tactic.objects.none(), required=False, empty_label=_("— Chưa xác định —")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tactic"].queryset = Tactic.objects.order_by("name")
        self.fields["tactic"].error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ.")


class UnlistForm(VietnameseErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do gỡ khỏi danh sách"), max_length=1000,
        error_messages={"required": _("Cần ghi lý do."), "max_length": _("Lý do quá dài.")},
    )

    def clean_reason(self) -> str:
        reason = _one_line(self.cleaned_data["reason"])
        if len(reason) < 3:
            raise ValidationError(_("Cần ghi lý do (ít nhất 3 ký tự)."))
        return reason


class ImportForm(VietnameseErrorsMixin, forms.Form):
    source_name = forms.CharField(
        label=_("Nguồn danh sách"), max_length=200, help_text=_("Ví dụ: Danh sách của Công an tỉnh, tháng 10/2026."),
        error_messages={"required": _("Cần ghi nguồn của danh sách."), "max_length": _("Tên nguồn quá dài.")},
    )
    file = forms.FileField(
        label=_("Tệp CSV"), error_messages={"required": _("Cần chọn một tệp."), "empty": _("Tệp trống.")},
    )

    def clean_source_name(self) -> str:
        name = _one_line(self.cleaned_data["source_name"])
        if not name:
            raise ValidationError(_("Cần ghi nguồn của danh sách."))
        return name

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_table_upload(upload, kind="scam_list", suffixes=(".csv",))
        return upload


class TacticForm(VietnameseErrorsMixin, forms.ModelForm):
    class Meta:
        model = Tactic
        fields = ["code", "name", "explanation", "advice", "hotlines", "keywords", "exclusions", "is_active"]
        widgets = {
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "advice": forms.Textarea(attrs={"rows": 3}),
            "hotlines": forms.Textarea(attrs={"rows": 2}),
            "keywords": forms.Textarea(attrs={"rows": 8}),
            "exclusions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _("Chữ thường không dấu, số, gạch nối; ví dụ: gia-danh-cong-an."),
            "keywords": _("Mỗi dòng một dấu hiệu. Dùng “+” khi cần có đủ nhiều cụm từ (công an + điều tra); "
                          "“*” thay cho tối đa 3 từ bất kỳ (cung cấp * mã OTP). Không phân biệt hoa thường, có dấu hay không dấu."),
            "exclusions": _("Mỗi dòng một cụm từ: tin nhắn có cụm từ này thì không tính là thủ đoạn này."),
        }
        error_messages = {
            "code": {"required": _("Cần nhập mã."), "invalid": _("Mã chỉ gồm chữ không dấu, số, gạch nối."),
                     "unique": _("Mã thủ đoạn này đã được dùng.")},
            "name": {"required": _("Cần nhập tên thủ đoạn.")},
            "explanation": {"required": _("Cần giải thích vì sao đáng ngờ.")},
            "advice": {"required": _("Cần nhập lời khuyên.")},
        }

    def _clean_rules(self, name: str) -> str:
        text = self.cleaned_data[name]
        problems = rules.rule_errors(text)
        if problems:
            raise ValidationError(problems)
        return text.strip()

    def clean_keywords(self) -> str:
        return self._clean_rules("keywords")

    def clean_exclusions(self) -> str:
        return self._clean_rules("exclusions")

    def clean_name(self) -> str:
        name = _one_line(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Cần nhập tên thủ đoạn."))
        return name

    def validate_unique(self):
        # The service checks the code (the form edits no instance, so a unique check here would be wrong).
        pass


class AlertForm(VietnameseErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị phát hành"), queryset=Unit.objects.none(), empty_label=None)
    title = forms.CharField(
        label=_("Tiêu đề"), max_length=200,
        error_messages={"required": _("Cần nhập tiêu đề cảnh báo."), "max_length": _("Tiêu đề quá dài (tối đa 200 ký tự).")},
    )
    tactic = forms.ModelChoiceField(
        label=_("Thủ đoạn"), queryset=Tactic.objects.none(), required=False, empty_label=_("— Không chọn —")
    )
    message = forms.CharField(
        label=_("Nội dung cần nói với người dân"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Cần nhập nội dung cần nói với người dân."),
                        "max_length": _("Nội dung quá dài (tối đa %(limit_value)d ký tự).")},
    )
    valid_from = forms.DateField(label=_("Hiệu lực từ"), widget=DATE_WIDGET, input_formats=DATE_FORMATS,
                                 error_messages={"required": _("Cần nhập ngày bắt đầu.")})
    valid_until = forms.DateField(label=_("Hiệu lực đến"), widget=DATE_WIDGET, input_formats=DATE_FORMATS,
                                  error_messages={"required": _("Cần nhập ngày hết hiệu lực.")})

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["tactic"].queryset = Tactic.objects.filter(is_active=True).order_by("name")
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + dt.timedelta(days=30)
        for name in ("unit", "tactic"):
            self.fields[name].error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ.")

    def clean_title(self) -> str:
        title = _one_line(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Cần nhập tiêu đề cảnh báo."))
        return title

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("Cần nhập nội dung cần nói với người dân."))
        return message

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end:
            if end < start:
                self.add_error("valid_until", _("Ngày hết hiệu lực không được trước ngày bắt đầu."))
            elif (end - start).days > 366:
                self.add_error("valid_until", _("Cảnh báo có hiệu lực tối đa một năm."))
            elif end < timezone.localdate():
                self.add_error("valid_until", _("Ngày hết hiệu lực đã qua."))
        return data


class ReachForm(VietnameseErrorsMixin, forms.Form):
    kind = forms.ChoiceField(choices=ReachKind.choices, label=_("Hình thức"))
    households = forms.IntegerField(
        label=_("Số hộ"), required=False, min_value=1, max_value=MAX_HOUSEHOLDS_PER_RECORD,
        error_messages={
            "invalid": _("Số hộ phải là một số nguyên."),
            "min_value": _("Số hộ phải từ 1 trở lên."),
            "max_value": _("Số hộ tối đa %(limit_value)s."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReachKind.TOLD_HOUSEHOLDS and not data.get("households"):
            if "households" not in self.errors:
                self.add_error("households", _("Cần nhập số hộ đã được thông báo."))
        return data
