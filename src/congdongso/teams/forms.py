from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdongso.common.forms import VietnameseErrorsMixin, not_in_future
from congdongso.teams.models import Affiliation, MemberRole, Team

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class TeamForm(VietnameseErrorsMixin, forms.ModelForm):
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )

    class Meta:
        model = Team
        fields = ["name", "decision_number", "decision_date", "zalo_link", "is_active"]
        error_messages = {
            "name": {"required": _("Cần nhập tên tổ."), "max_length": _("Tên tổ quá dài.")},
            "decision_number": {"max_length": _("Số quyết định quá dài.")},
            "zalo_link": {
                "invalid": _("Đường dẫn nhóm Zalo không hợp lệ (ví dụ https://zalo.me/g/abc123)."),
                "max_length": _("Đường dẫn nhóm Zalo quá dài."),
            },
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Cần nhập tên tổ."))
        return name

    def clean_zalo_link(self) -> str:
        link = self.cleaned_data["zalo_link"].strip()
        if link and not link.startswith(("https://zalo.me/", "https://chat.zalo.me/")):
            raise ValidationError(_("Chỉ nhận đường dẫn nhóm Zalo (bắt đầu bằng https://zalo.me/)."))
        return link

    def clean_decision_date(self):
        return not_in_future(self.cleaned_data["decision_date"], _("Ngày quyết định không được ở tương lai."))


class MembershipForm(VietnameseErrorsMixin, forms.Form):
    display_name = forms.CharField(
        label=_("Họ tên"), max_length=150,
        error_messages={"required": _("Cần nhập họ tên thành viên."), "max_length": _("Họ tên quá dài.")},
    )
    role = forms.ChoiceField(label=_("Vai trò trong tổ"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    affiliation = forms.ChoiceField(label=_("Lực lượng"), choices=Affiliation.choices, initial=Affiliation.OTHER)
    joined_on = forms.DateField(
        label=_("Ngày tham gia"), widget=DATE_WIDGET, input_formats=DATE_FORMATS,
        error_messages={"required": _("Cần nhập ngày tham gia."), "invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )
    username = forms.CharField(
        label=_("Tên đăng nhập (nếu có tài khoản)"), max_length=150, required=False,
        help_text=_("Để trống nếu thành viên chưa có tài khoản."),
        error_messages={"max_length": _("Tên đăng nhập quá dài.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined_on"].initial = timezone.localdate()
        for name in ("role", "affiliation"):
            self.fields[name].error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ.")

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError(_("Cần nhập họ tên thành viên."))
        return name

    def clean_joined_on(self):
        return not_in_future(self.cleaned_data["joined_on"], _("Ngày tham gia không được ở tương lai."))


class MembershipEndForm(VietnameseErrorsMixin, forms.Form):
    left_on = forms.DateField(
        label=_("Ngày rời tổ"), widget=DATE_WIDGET, input_formats=DATE_FORMATS,
        error_messages={"required": _("Cần nhập ngày rời tổ."), "invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()

    def clean_left_on(self):
        return not_in_future(self.cleaned_data["left_on"], _("Ngày rời tổ không được ở tương lai."))


class TrainingForm(VietnameseErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Nội dung tập huấn"), max_length=200,
        error_messages={"required": _("Cần nhập nội dung tập huấn."), "max_length": _("Nội dung quá dài.")},
    )
    held_on = forms.DateField(
        label=_("Ngày tập huấn"), widget=DATE_WIDGET, input_formats=DATE_FORMATS,
        error_messages={"required": _("Cần nhập ngày tập huấn."), "invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )
    location = forms.CharField(
        label=_("Địa điểm"), max_length=200, required=False, error_messages={"max_length": _("Địa điểm quá dài.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Cần nhập nội dung tập huấn."))
        return title

    def clean_held_on(self):
        # Attendance is recorded against a training, so only one already held can be entered.
        return not_in_future(self.cleaned_data["held_on"], _("Ngày tập huấn không được ở tương lai."))
