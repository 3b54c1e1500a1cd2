"""The visit screen's form: one tap picks what was helped, one tap on the outcome saves it."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from congdongso.catalog.models import Service, Skill
from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.common.sensitive import refuse_sensitive
from congdongso.households.models import Resident, Tag
from congdongso.outreach.models import Channel, Outcome
from congdongso.outreach.services import MAX_NOTE


class VisitOutcome(models.TextChoices):
    """The four outcome buttons of the visit screen; each saves the assist when tapped."""

    INDEPENDENT = "independent", _("Đã xong — tự dùng được")
    ASSISTED = "assisted", _("Đã hướng dẫn")
    FOLLOW_UP = "follow_up", _("Cần quay lại")
    REFUSED = "refused", _("Từ chối")


# What each button records: the assist's outcome, and whether the resident now uses it alone.
OUTCOME_EFFECT: dict[str, tuple[str, bool]] = {
    VisitOutcome.INDEPENDENT: (Outcome.DONE, True),
    VisitOutcome.ASSISTED: (Outcome.DONE, False),
    VisitOutcome.FOLLOW_UP: (Outcome.NEEDS_FOLLOW_UP, False),
    VisitOutcome.REFUSED: (Outcome.REFUSED, False),
}

PICK_SEPARATOR = "|"


def pick_value(service: Service, resident: Resident | None) -> str:
    """The value of a recommendation's radio button: the service code and the resident's id."""
    return f"{service.code}{PICK_SEPARATOR}{resident.pk if resident is not None else ''}"


class AssistForm(VietnameseErrorsMixin, forms.Form):
    # Made by the server when the page is drawn: a double tap or a resent form records one assist.
    assist_id = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Biểu mẫu đã cũ, vui lòng chọn lại và lưu."),
            "invalid": _("Biểu mẫu đã cũ, vui lòng chọn lại và lưu."),
        },
    )
    pick = forms.CharField(required=False, max_length=100)
    service = forms.ChoiceField(label=_("Dịch vụ khác"), required=False)
    resident = forms.ChoiceField(label=_("Người được hỗ trợ"), required=False)
    channel = forms.ChoiceField(label=_("Hình thức"), choices=Channel.choices, initial=Channel.DOOR)
    note = forms.CharField(
        label=_("Ghi chú ngắn"), required=False, max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}), validators=[refuse_sensitive],
        help_text=_("Không bao giờ ghi mật khẩu, mã OTP, ảnh hay số CCCD của người dân."),
    )
    outcome = forms.ChoiceField(
        choices=VisitOutcome.choices,
        error_messages={"required": _("Hãy chạm vào một kết quả để lưu.")},
    )
    # The running campaigns covering the household's village (campaigns.selectors); "" = none.
    campaign = forms.ChoiceField(
        label=_("Tính cho chiến dịch"), required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Chiến dịch đã chọn không còn diễn ra; vui lòng chọn lại.")},
    )

    def __init__(
        self, *args, services: list[Service], residents: list[tuple[Resident, str]], campaigns=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", _("Không"))] + [(str(c.pk), c.name) for c in campaigns]
        self._services = {s.code: s for s in services}
        self._residents = {str(r.pk): r for r, _label in residents}
        labels = dict(Skill.choices)
        grouped = [
            (labels[skill], [(s.code, s.name) for s in services if s.skill == skill]) for skill in Skill.values
        ]
        self.fields["service"].choices = [("", _("— Chọn nếu không có trong gợi ý —"))] + [
            group for group in grouped if group[1]
        ]
        self.fields["resident"].choices = [("", _("Cả hộ (không ghi người cụ thể)"))] + [
            (str(r.pk), label) for r, label in residents
        ]

    def clean_pick(self) -> tuple[Service, Resident | None] | None:
        value = self.cleaned_data["pick"]
        if not value:
            return None
        code, _sep, resident_id = value.partition(PICK_SEPARATOR)
        service = self._services.get(code)
        resident = self._residents.get(resident_id) if resident_id else None
        if service is None or (resident_id and resident is None):
            raise ValidationError(_("Gợi ý đã chọn không còn phù hợp; vui lòng chọn lại."))
        return service, resident

    def clean_campaign(self) -> int | None:
        value = self.cleaned_data["campaign"]
        return int(value) if value else None

    def clean(self):
        data = super().clean()
        other = data.get("service")
        picked = data.get("pick")
        chosen_resident = self._residents.get(data.get("resident") or "")
        if other:
            data["chosen_service"], data["chosen_resident"] = self._services[other], chosen_resident
        elif picked:
            service, resident = picked
            data["chosen_service"], data["chosen_resident"] = service, resident or chosen_resident
        elif "pick" not in self.errors:
            raise ValidationError(
                _("Hãy chọn việc đã giúp: chạm vào một gợi ý, hoặc chọn dịch vụ khác."), code="no_service"
            )
        return data


class WorklistFilterForm(VietnameseErrorsMixin, forms.Form):
    # Any unit id: the view checks it is in scope (404 otherwise). The select lists the villages of
    # small scopes; larger ones reach a village's worklist from its unit page.
    village = forms.IntegerField(
        label=_("Thôn/tổ dân phố"), required=False, min_value=1, widget=forms.Select,
        error_messages={"invalid": _("Thôn/tổ dân phố không hợp lệ."), "min_value": _("Thôn/tổ dân phố không hợp lệ.")},
    )
    tag = forms.ChoiceField(label=_("Đặc điểm hộ"), required=False, choices=[("", _("Tất cả")), *Tag.choices])

    def __init__(self, *args, villages: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].widget.choices = [("", _("Tất cả"))] + [
            (v.pk, f"{v.name}, {v.parent.name}" if v.parent else v.name) for v in villages
        ]
