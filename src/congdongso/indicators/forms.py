from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.indicators.models import Indicator


class TargetForm(VietnameseErrorsMixin, forms.Form):
    indicator = forms.ModelChoiceField(
        label=pgettext_lazy("an indicator of the dashboards", "Chỉ tiêu"), queryset=Indicator.objects.filter(monthly=False), empty_label=None,
        error_messages={"invalid_choice": _("Chỉ tiêu không hợp lệ.")},
    )
    value = forms.DecimalField(
        label=_("Mục tiêu (số lượng, hoặc % với chỉ tiêu tỷ lệ)"), min_value=0, max_digits=12, decimal_places=1,
        error_messages={
            "invalid": _("Mục tiêu phải là một số."), "min_value": _("Mục tiêu không được âm."),
            "max_digits": _("Mục tiêu quá lớn."), "max_decimal_places": _("Mục tiêu chỉ có một chữ số thập phân."),
        },
    )
    due_on = forms.DateField(
        label=_("Thời hạn"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
