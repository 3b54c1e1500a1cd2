"""Data-subject requests (see, correct, export, restrict, erase, withdraw consent, object) and the
restrictions of processing they put in place.

A request belongs to the commune that handles it (its officers' scope). It names its subject by the
household and/or resident when they are known, and otherwise (a request from the public form) by
the name and phone the person gave; those two are erased when an erasure completes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdongso.common.phones import display_phone


class Kind(models.TextChoices):
    ACCESS = "access", _("Xem thông tin được lưu về mình")
    CORRECT = "correct", _("Sửa thông tin sai")
    EXPORT = "export", _("Nhận bản sao dữ liệu (tệp)")
    RESTRICT = "restrict", _("Hạn chế xử lý dữ liệu")
    ERASE = "erase", _("Xóa dữ liệu")
    WITHDRAW = "withdraw", _("Rút lại sự đồng ý")
    OBJECT = "object", _("Phản đối xử lý dữ liệu")


class ChannelKind(models.TextChoices):
    OFFICER = "officer", _("Qua cán bộ xã/phường")
    PUBLIC_FORM = "public_form", _("Qua biểu mẫu trực tuyến")


class Status(models.TextChoices):
    VERIFYING = "verifying", _("Chờ xác minh")
    RECEIVED = "received", _("Đã tiếp nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã xác nhận với người yêu cầu")
    COMPLETED = "completed", _("Đã hoàn thành")
    REFUSED = "refused", _("Từ chối")


# Not yet acknowledged: the 2-working-day deadline still applies.
UNACKNOWLEDGED = (Status.VERIFYING, Status.RECEIVED)
OPEN_STATUSES = (Status.VERIFYING, Status.RECEIVED, Status.ACKNOWLEDGED)
FINAL_STATUSES = (Status.COMPLETED, Status.REFUSED)


class DataSubjectRequest(models.Model):
    code = models.CharField(_("mã yêu cầu"), max_length=12, unique=True, editable=False)
    kind = models.CharField(_("loại yêu cầu"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=16, choices=ChannelKind.choices)
    commune = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường tiếp nhận")
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("hộ gia đình"),
    )
    resident = models.ForeignKey(
        "households.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("nhân khẩu"),
    )
    # What the person said about themselves (the public form, or an officer's note of who asked).
    subject_name = models.CharField(_("họ tên người yêu cầu"), max_length=150, blank=True)
    subject_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    details = models.TextField(_("nội dung yêu cầu"), max_length=1000, blank=True)
    processor_involved = models.BooleanField(_("cần bên xử lý dữ liệu khác thực hiện"), default=False)

    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices)
    received_on = models.DateField(_("ngày nhận"))
    acknowledge_by = models.DateField(_("hạn xác nhận"))
    complete_by = models.DateField(_("hạn hoàn thành"))
    verified_at = models.DateTimeField(_("xác minh lúc"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    outcome = models.TextField(_("kết quả, lý do"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    subject_erased_at = models.DateTimeField(_("đã xóa thông tin người yêu cầu lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")
        indexes = [
            models.Index(fields=["commune", "status", "acknowledge_by"], name="privacy_request_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.REFUSED) | ~Q(outcome=""), name="privacy_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(acknowledge_by__gte=models.F("received_on")) & Q(complete_by__gte=models.F("received_on")),
                name="privacy_deadlines_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def subject_phone_display(self) -> str:
        return display_phone(self.subject_phone) if self.subject_phone else ""


class Restriction(models.Model):
    """Processing of a household is restricted (a restriction or objection request): it leaves the
    lists, worklists and phones' changes until the restriction is lifted. Data stay stored."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+", verbose_name=_("hộ gia đình")
    )
    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="restrictions"
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    lifted_at = models.DateTimeField(_("gỡ lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("hạn chế xử lý")
        verbose_name_plural = _("hạn chế xử lý")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(lifted_at__isnull=True), name="privacy_one_restriction_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.started_at:%Y-%m-%d}"
