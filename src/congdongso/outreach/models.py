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
    # No single-column indexes on household and village: the composite indexes below lead with them,
    # and every index costs each of the phones' inserts (the sync writes assists by the thousand).
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="assists", db_index=False
    )
    resident = models.ForeignKey(
        "households.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="assists"
    )
    # Kept on the event so scoped reads and tallies need no join through the household.
    village = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="assists", db_index=False)
    services = models.JSONField(_("dịch vụ đã hỗ trợ"), default=list)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices)
    channel = models.CharField(_("hình thức"), max_length=8, choices=Channel.choices, default=Channel.DOOR)
    occurred_at = models.DateTimeField(_("thời điểm"))
    # What the member said: the resident now uses the services on their own (applies to "done").
    # Kept on the event, so adoption can be derived again from events and replays compared in full.
    independent = models.BooleanField(_("tự sử dụng được"), default=False)
    note = models.CharField(_("ghi chú ngắn"), max_length=280, blank=True)
    # The local month of occurred_at ("2026-11"), kept so tallies group by month with plain SQL.
    month = models.CharField(max_length=7, editable=False, default="")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, null=True, blank=True, related_name="assists",
        verbose_name=_("chiến dịch"),
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt hỗ trợ")
        verbose_name_plural = _("lượt hỗ trợ")
        indexes = [
            models.Index(fields=["household", "occurred_at"], name="outreach_assist_household_idx"),
            models.Index(fields=["village", "occurred_at"], name="outreach_assist_village_idx"),
            # The sync's changes feed: what others recorded in a member's villages since the last sync.
            models.Index(fields=["village", "received_at"], name="outreach_assist_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.id}"


class AssistActivity(models.Model):
    """When each member last recorded assists in each village: one row per (village, member), moved
    forward once per write. The sync's changes feed asks it which villages others have worked in
    since a phone's cursor, so it reads recent assists only there, instead of scanning the phone's
    own recent assists to find that there are no others. Plain ids, like the audit's."""

    village_id = models.BigIntegerField()
    member_id = models.BigIntegerField()
    last_received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village_id", "member_id"], name="outreach_activity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id}/{self.member_id}"


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


class EventType(models.TextChoices):
    ASSIST = "assist", _("Lượt hỗ trợ")
    FOLLOW_UP_DONE = "follow_up_done", _("Xong việc cần quay lại")
    HOUSEHOLD_EDIT = "household_edit", _("Sửa thông tin hộ")
    HOUSEHOLD_CREATE = "household_create", _("Thêm hộ mới")


class SyncEvent(models.Model):
    """The receipt of one event sent by a phone (other than an assist, whose own row is its receipt):
    its id and a digest of its content, so a resend is answered "duplicate" and a changed resend
    "conflict". `payload` is kept to show beside a conflicting version; personal details in it are
    blanked when the household's consent is withdrawn."""

    id = models.UUIDField(primary_key=True, editable=False)
    type = models.CharField(_("loại"), max_length=24, choices=EventType.choices)
    digest = models.CharField(max_length=32)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey("accounts.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Where the event landed (scope of a conflict about it later).
    village = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    household_id = models.UUIDField(null=True, blank=True, db_index=True)
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(_("thời điểm"))
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện đồng bộ")
        verbose_name_plural = _("sự kiện đồng bộ")

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Chờ xem xét")
    KEPT_STORED = "kept_stored", _("Giữ bản đã lưu")
    KEPT_INCOMING = "kept_incoming", _("Dùng bản mới gửi")


class SyncConflict(models.Model):
    """An event sent again with the id of a stored one but other content: both versions are kept
    here until a commune officer keeps one. Nothing is dropped or overwritten silently."""

    event_id = models.UUIDField(_("mã sự kiện"))
    type = models.CharField(_("loại"), max_length=24, choices=EventType.choices)
    digest = models.CharField(max_length=32)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người gửi")
    )
    device = models.ForeignKey("accounts.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    village = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn"))
    household_id = models.UUIDField(null=True, blank=True, db_index=True)
    stored = models.JSONField(_("bản đã lưu"), default=dict)
    incoming = models.JSONField(_("bản mới gửi"), default=dict)
    occurred_at = models.DateTimeField(_("thời điểm (bản mới gửi)"))
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("xung đột đồng bộ")
        verbose_name_plural = _("xung đột đồng bộ")
        indexes = [models.Index(fields=["village", "status"], name="outreach_conflict_village_idx")]
        constraints = [
            # The same conflicting version sent again is the same conflict.
            models.UniqueConstraint(fields=["event_id", "digest"], name="outreach_conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
