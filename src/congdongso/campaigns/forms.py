import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdongso.catalog.models import Service
from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.geo.models import Unit

DATE_INPUT = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
              "input_formats": ["%Y-%m-%d", "%d/%m/%Y"]}
MAX_PERIOD_DAYS = 400


class CampaignForm(VietnameseErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Tên chiến dịch"), max_length=200)
    starts_on = forms.DateField(label=_("Từ ngày"), **DATE_INPUT)
    ends_on = forms.DateField(label=_("Đến ngày"), **DATE_INPUT)
    service = forms.ModelChoiceField(
        label=_("Dịch vụ trọng tâm"), required=False, queryset=Service.objects.none(),
        empty_label=_("Không chọn: tính mọi lượt hỗ trợ ghi cho chiến dịch"),
        help_text=_("Khi chọn, tiến độ tính các lượt hỗ trợ dịch vụ này đã xong (ví dụ: kích hoạt VNeID mức 2)."),
    )
    description = forms.CharField(
        label=_("Mô tả"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = unit.ancestor_ids[0]
        self.fields["service"].queryset = Service.objects.filter(
            Q(province__isnull=True) | Q(province_id=province_id), is_active=True
        ).order_by("sort_order", "code")


class PeriodForm(VietnameseErrorsMixin, forms.Form):
    starts_on = forms.DateField(label=_("Từ ngày"), **DATE_INPUT)
    ends_on = forms.DateField(label=_("Đến ngày"), **DATE_INPUT)

    @staticmethod
    def default_initial(today: dt.date | None = None) -> dict:
        """This month so far."""
        today = today or timezone.localdate()
        return {"starts_on": today.replace(day=1), "ends_on": today}

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                raise ValidationError(_("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."))
            if (ends_on - starts_on).days + 1 > MAX_PERIOD_DAYS:
                raise ValidationError(_("Chọn một khoảng thời gian tối đa %(days)s ngày.") % {"days": MAX_PERIOD_DAYS})
        return data
