"""Assists (append-only events made on the phone) and follow-ups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    DONE = "done", _("Đã xong")
    PARTLY = "partly", _("Được một phần")
    REFUSED = "refused", _("Người dân từ chối")
    NEEDS_FOLLOW_UP = "needs_follow_up", _("Cần quay lại")


class Channel(models.TextChoices):
    DOOR = "door", _("Đến tận nhà")
    EVENT = "event", _("Tại buổi hướng dẫn")
    PHONE = "phone", _("Qua điện thoại")
    ZALO = "zalo", _("Qua Zalo")


class Assist(models.Model):
    """One act of help. Append-only; the id is a UUIDv7 made on the member's phone."""

    id = models.UUIDField(primary_key=True, editable=False)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assists")
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="assists")
    resident = models.ForeignKey(
        "households.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="assists"
    )
    # Kept on the event so scoped reads and tallies need no join through the household.
    village = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="assists")
    services = models.JSONField(_("dịch vụ đã hỗ trợ"), default=list)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices)
    channel = models.CharField(_("hình thức"), max_length=8, choices=Channel.choices, default=Channel.DOOR)
    occurred_at = models.DateTimeField(_("thời điểm"))
    # What the member said: the resident now uses the services on their own (applies to "done").
    # Kept on the event, so adoption can be derived again from events and replays compared in full.
    independent = models.BooleanField(_("tự sử dụng được"), default=False)
    note = models.CharField(_("ghi chú ngắn"), max_length=280, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt hỗ trợ")
        verbose_name_plural = _("lượt hỗ trợ")
        indexes = [
            models.Index(fields=["household", "occurred_at"], name="outreach_assist_household_idx"),
            models.Index(fields=["village", "occurred_at"], name="outreach_assist_village_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.id}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Đang chờ")
    DONE = "done", _("Đã xong")
    CANCELLED = "cancelled", _("Đã hủy")


class FollowUp(models.Model):
    village = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="follow_ups")
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    reason = models.CharField(_("việc cần làm"), max_length=200)
    due_on = models.DateField(_("hạn"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    created_from = models.ForeignKey(
        Assist, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups_created"
    )
    closed_by = models.ForeignKey(
        Assist, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups_closed"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("việc cần quay lại")
        verbose_name_plural = _("việc cần quay lại")
        indexes = [models.Index(fields=["village", "status", "due_on"], name="outreach_followup_due_idx")]

    def __str__(self) -> str:
        return self.reason
