from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdongso.common.forms import VietnameseErrorsMixin, not_in_future
from congdongso.common.uploads import check_table_upload
from congdongso.geo.models import VILLAGE_KINDS, Kind


class VillageForm(VietnameseErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên thôn/tổ dân phố"), max_length=200,
        error_messages={"required": _("Tên thôn/tổ dân phố không được để trống."), "max_length": _("Tên quá dài.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[(k, Kind(k).label) for k in VILLAGE_KINDS], initial=Kind.THON,
        error_messages={"invalid_choice": _("Loại thôn/tổ dân phố không hợp lệ.")},
    )
    code = forms.CharField(
        label=_("Mã (không bắt buộc)"), max_length=32, required=False,
        help_text=_("Để trống để hệ thống tự cấp mã."),
        error_messages={"max_length": _("Mã tối đa 32 ký tự.")},
    )


class VillageFileForm(VietnameseErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách thôn (.csv hoặc .xlsx)"),
        error_messages={"required": _("Cần chọn một tệp."), "empty": _("Tệp trống."), "invalid": _("Tệp không hợp lệ.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_table_upload(upload, kind="villages")
        return upload


def _effective_date_not_in_future(value):
    return not_in_future(value, _("Ngày hiệu lực không được ở tương lai."))


class MergeForm(VietnameseErrorsMixin, forms.Form):
    sources = forms.TypedMultipleChoiceField(
        label=_("Các đơn vị sáp nhập vào đơn vị này"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cần chọn ít nhất một đơn vị."), "invalid_choice": _("Lựa chọn không hợp lệ.")},
    )
    effective_date = forms.DateField(
        label=_("Ngày hiệu lực"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Cần nhập ngày hiệu lực."), "invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = [(u.pk, f"{u.name} ({u.code})") for u in candidates]
        self.fields["effective_date"].initial = timezone.localdate()

    def clean_effective_date(self):
        return _effective_date_not_in_future(self.cleaned_data["effective_date"])


class RenameForm(VietnameseErrorsMixin, forms.Form):
    new_name = forms.CharField(
        label=_("Tên mới"), max_length=200,
        error_messages={"required": _("Tên mới không được để trống."), "max_length": _("Tên quá dài.")},
    )
    effective_date = forms.DateField(
        label=_("Ngày hiệu lực"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Cần nhập ngày hiệu lực."), "invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()

    def clean_effective_date(self):
        return _effective_date_not_in_future(self.cleaned_data["effective_date"])
