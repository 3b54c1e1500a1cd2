"""Residents' feedback and requests (phản ánh, kiến nghị), routed to the commune they name.

A report is found by the public through its tracking code only; its status page shows the status,
the public updates and dates, never the text or the contact. Contact details are kept only with
the resident's explicit consent and are erased when the case closes (or after a retention period).
Every change leaves a history row (and an audit event with ids only); notifications are delivery
rows worked by a background task, so a failing channel never loses a report.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdongso.common.phones import display_phone


class Category(models.TextChoices):
    PUBLIC_SERVICES = "public_services", _("Dịch vụ công trực tuyến")
    CONNECTIVITY = "connectivity", _("Sóng điện thoại, Internet")
    PAYMENT = "payment", _("Thanh toán, chuyển tiền")
    SCAM = "scam", _("Lừa đảo trên mạng")
    SUGGESTION = "suggestion", _("Góp ý, kiến nghị")
    HOME_VISIT = "home_visit", _("Đề nghị hỗ trợ tại nhà")
    OTHER = "other", _("Khác")


class Status(models.TextChoices):
    NEW = "new", _("Mới")
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã giải quyết")
    CLOSED = "closed", _("Đã đóng")
    REJECTED = "rejected", _("Từ chối")


OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)
FINAL_STATUSES = (Status.CLOSED, Status.REJECTED)


class Report(models.Model):
    code = models.CharField(_("mã theo dõi"), max_length=12, unique=True, editable=False)
    category = models.CharField(_("loại phản ánh"), max_length=24, choices=Category.choices)
    # The place the resident named (a commune or one of its villages) and the commune it routes to.
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    commune = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, related_name="feedback_reports", verbose_name=_("xã/phường tiếp nhận")
    )
    text = models.TextField(_("nội dung"))
    # Contact: only with consent, erased when the case closes (contact_erased_at set).
    contact_name = models.CharField(_("tên người gửi"), max_length=100, blank=True)
    contact_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    contact_consent_at = models.DateTimeField(_("thời điểm đồng ý liên hệ"), null=True, blank=True)
    contact_notice_version = models.CharField(max_length=16, blank=True)
    contact_erased_at = models.DateTimeField(_("đã xóa thông tin liên hệ lúc"), null=True, blank=True)

    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.NEW)
    rejection_reason = models.CharField(_("lý do từ chối"), max_length=500, blank=True)
    due_on = models.DateField(_("hạn xử lý"))
    assigned_team = models.ForeignKey(
        "teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_reports",
        verbose_name=_("tổ được giao"),
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_reports",
        verbose_name=_("người được giao"),
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_reports",
        verbose_name=_("hộ gia đình"),
    )
    # The follow-up a home-visit request put on the village team's worklist; closing it resolves this.
    follow_up = models.OneToOneField(
        "outreach.FollowUp", on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_report",
    )
    created_at = models.DateTimeField(_("ngày gửi"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(_("ngày giải quyết"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ngày đóng"), null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")
        indexes = [
            models.Index(fields=["commune", "status", "due_on"], name="feedback_inbox_idx"),
            models.Index(fields=["status", "resolved_at"], name="feedback_retention_idx"),
        ]
        constraints = [
            # No contact without consent.
            models.CheckConstraint(
                condition=Q(contact_consent_at__isnull=False) | Q(contact_name="", contact_phone=""),
                name="feedback_contact_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(rejection_reason=""),
                name="feedback_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def contact_phone_display(self) -> str:
        return display_phone(self.contact_phone) if self.contact_phone else ""


class ReportNote(models.Model):
    """A public update (shown on the status page) or an internal note (officers and assignees only)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    is_public = models.BooleanField(_("công khai"))
    text = models.TextField(_("nội dung"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cập nhật, ghi chú")
        verbose_name_plural = _("cập nhật, ghi chú")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.created_at:%Y-%m-%d}"


class Change(models.TextChoices):
    CREATED = "created", _("Tiếp nhận")
    ASSIGNED = "assigned", _("Phân công")
    STATUS = "status", _("Đổi trạng thái")
    PUBLIC_UPDATE = "public_update", _("Cập nhật công khai")
    INTERNAL_NOTE = "internal_note", _("Ghi chú nội bộ")
    HOUSEHOLD = "household", _("Gắn hộ gia đình")
    CONTACT_ERASED = "contact_erased", _("Xóa thông tin liên hệ")


class ReportHistory(models.Model):
    """Every change of a report, in order. `details` holds ids and codes only."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    change = models.CharField(max_length=16, choices=Change.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử phản ánh")
        verbose_name_plural = _("lịch sử phản ánh")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.change}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")


class Delivery(models.Model):
    """One notification of one report event through one channel, worked by a background task."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("kênh"), max_length=32)
    event = models.CharField(_("sự kiện"), max_length=16)
    # What the message says: codes, names of places, dates — never the text or the contact.
    payload = models.JSONField(default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    attempt_limit = models.PositiveSmallIntegerField(default=5)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("lần thử tiếp theo"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="feedback_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.channel} {self.event}"
