"""Scam shield: reported things (entities), reports, the officers' tactic list, alerts and their reach.

Entities are national: one row per normalised phone number, website, bank account or social account
(`key`, see identifiers.py). Reports, alerts and reach rows carry the unit they came from, which is
what scopes moderation and what reach is counted by.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PHONE = "phone", _("Số điện thoại")
    WEBSITE = "website", _("Trang web")
    BANK_ACCOUNT = "bank_account", _("Tài khoản ngân hàng")
    SOCIAL = "social", _("Tài khoản mạng xã hội")


class Status(models.TextChoices):
    CONFIRMED = "confirmed", _("Lừa đảo")
    VERIFYING = "verifying", _("Đang xác minh")
    NO_REPORTS = "no_reports", _("Chưa có phản ánh")


# Worst first: when one query matches several entities, the answer is the worst of them.
STATUS_RANK = {Status.CONFIRMED: 0, Status.VERIFYING: 1, Status.NO_REPORTS: 2}


class Tactic(models.Model):
    """A scam tactic as officers describe it: how to recognise it, why it is a scam, what to do.

    Advice and hotline numbers live here, as data that officers maintain, never in code.
    """

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên thủ đoạn"), max_length=200)
    explanation = models.TextField(_("vì sao đáng ngờ"), max_length=2000)
    advice = models.TextField(_("lời khuyên"), max_length=2000)
    hotlines = models.TextField(
        _("số điện thoại/đầu mối cần báo"), max_length=1000, blank=True,
        help_text=_("Chỉ ghi số đã được cơ quan chức năng công bố chính thức."),
    )
    keywords = models.TextField(_("dấu hiệu nhận biết"), max_length=20_000, blank=True)
    exclusions = models.TextField(_("trường hợp loại trừ"), max_length=5000, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người cập nhật"),
    )

    class Meta:
        verbose_name = _("thủ đoạn lừa đảo")
        verbose_name_plural = _("thủ đoạn lừa đảo")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatusAdvice(models.Model):
    """What to tell a person who looked something up, by status: data, like the tactic advice."""

    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, unique=True)
    advice = models.TextField(_("lời khuyên"), max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lời khuyên theo trạng thái")
        verbose_name_plural = _("lời khuyên theo trạng thái")

    def __str__(self) -> str:
        return self.get_status_display()


class ListedStatus(models.TextChoices):
    NOT_LISTED = "", _("Không có trong danh sách")
    CONFIRMED = "confirmed", _("Danh sách lừa đảo")
    VERIFYING = "verifying", _("Danh sách đang xác minh")


class Entity(models.Model):
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    # The normal form (identifiers.py) and the one indexed column a lookup reads.
    key = models.CharField(_("khóa chuẩn hóa"), max_length=320, unique=True)
    # The identifier without its bank or platform: finds an account number given without its bank.
    value = models.CharField(_("giá trị"), max_length=300, db_index=True)
    display = models.CharField(_("hiển thị"), max_length=320)
    bank_bin = models.CharField(_("mã ngân hàng (BIN)"), max_length=16, blank=True)
    platform = models.CharField(_("nền tảng"), max_length=16, blank=True)
    domain = models.CharField(_("tên miền"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.NO_REPORTS)
    listed_status = models.CharField(
        _("trong danh sách nhập"), max_length=16, choices=ListedStatus.choices, blank=True, default=""
    )
    # Reports that are pending or confirmed (rejected ones do not count).
    report_count = models.PositiveIntegerField(_("số phản ánh"), default=0)
    tactic = models.ForeignKey(
        Tactic, on_delete=models.SET_NULL, null=True, blank=True, related_name="entities", verbose_name=_("thủ đoạn")
    )
    first_seen = models.DateTimeField(_("lần đầu ghi nhận"))
    last_seen = models.DateTimeField(_("lần gần nhất"))
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from",
        verbose_name=_("đã gộp vào"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đối tượng bị phản ánh")
        verbose_name_plural = _("đối tượng bị phản ánh")
        constraints = [
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="scams_entity_not_merged_into_self"),
        ]

    def __str__(self) -> str:
        return self.display


class Channel(models.TextChoices):
    CALL = "call", _("Cuộc gọi điện thoại")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")
    FACEBOOK = "facebook", _("Facebook/Messenger")
    OTHER_SOCIAL = "other_social", _("Mạng xã hội khác")
    WEBSITE = "website", _("Trang web, đường dẫn")
    OTHER = "other", _("Khác")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xử lý")
    CONFIRMED = "confirmed", _("Đã xác nhận lừa đảo")
    REJECTED = "rejected", _("Đã bác bỏ")


class Source(models.TextChoices):
    PUBLIC = "public", _("Người dân")
    MEMBER = "member", _("Thành viên tổ/cán bộ")


class Report(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="reports", verbose_name=_("đối tượng"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices)
    channel = models.CharField(_("nhận được qua"), max_length=16, choices=Channel.choices)
    tactic = models.ForeignKey(
        Tactic, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("thủ đoạn")
    )
    details = models.TextField(_("nội dung"), max_length=2000, blank=True)
    # Only with the reporter's explicit consent (contact_consent_at), never otherwise.
    contact = models.CharField(_("liên hệ của người phản ánh"), max_length=200, blank=True)
    contact_consent_at = models.DateTimeField(_("đồng ý cho liên hệ lúc"), null=True, blank=True)
    unit = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="scam_reports",
        verbose_name=_("đơn vị"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="scam_reports",
        verbose_name=_("người gửi"),
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người xử lý"),
    )
    decision_reason = models.TextField(_("lý do"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("phản ánh lừa đảo")
        verbose_name_plural = _("phản ánh lừa đảo")
        indexes = [models.Index(fields=["status", "entity"], name="scams_report_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact="") | Q(contact_consent_at__isnull=False), name="scams_report_contact_needs_consent"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ImportBatch(models.Model):
    """One imported list of known scams: who, when, what came of it (counts only)."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    imported_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)
    source_name = models.CharField(_("nguồn danh sách"), max_length=200)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    created = models.PositiveIntegerField(_("mới"), default=0)
    updated = models.PositiveIntegerField(_("đã có, cập nhật"), default=0)
    duplicates = models.PositiveIntegerField(_("trùng trong tệp"), default=0)

    class Meta:
        verbose_name = _("lần nhập danh sách")
        verbose_name_plural = _("các lần nhập danh sách")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.source_name


class Alert(models.Model):
    """A bulletin from a province or commune: every team below it sees it while it is valid."""

    unit = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, related_name="scam_alerts", verbose_name=_("đơn vị phát hành")
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    tactic = models.ForeignKey(
        Tactic, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts", verbose_name=_("thủ đoạn")
    )
    message = models.TextField(_("nội dung cần nói với người dân"), max_length=2000)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(_("hiệu lực đến"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đăng")
    )
    published_at = models.DateTimeField(_("đăng lúc"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cảnh báo lừa đảo")
        verbose_name_plural = _("cảnh báo lừa đảo")
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["unit", "valid_until"], name="scams_alert_unit_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="scams_alert_valid_range"),
        ]

    def __str__(self) -> str:
        return self.title


class ReachKind(models.TextChoices):
    SHARED_GROUP = "shared_group", _("Đã chia sẻ vào nhóm Zalo")
    TOLD_HOUSEHOLDS = "told_households", _("Đã nói trực tiếp với các hộ")


class Reach(models.Model):
    """A member's note that an alert went out. Carries the team's unit: reach is counted by unit."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="reach", verbose_name=_("cảnh báo"))
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="scam_reach", verbose_name=_("tổ"))
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="scam_reach", verbose_name=_("đơn vị"))
    kind = models.CharField(_("hình thức"), max_length=16, choices=ReachKind.choices)
    households = models.PositiveIntegerField(_("số hộ"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt lan tỏa cảnh báo")
        verbose_name_plural = _("lượt lan tỏa cảnh báo")
        indexes = [models.Index(fields=["alert", "team"], name="scams_reach_alert_team_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.households})"
