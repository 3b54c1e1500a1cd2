"""Tallies `(unit, period, metric) -> value`, indicator definitions and targets.

A tally holds the count of a metric's facts in a unit's whole subtree, for one period (see
periods.py). Services add deltas as they change facts; `rebuild_tallies` recounts from facts and
must produce exactly the same rows. Dashboards read tallies only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Tally(models.Model):
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    period = models.CharField(max_length=10, blank=True)
    metric = models.CharField(max_length=64)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "metric"], name="indicators_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period or '*'} {self.metric} = {self.value}"


class Kind(models.TextChoices):
    COUNT = "count", _("Số lượng")
    RATIO = "ratio", _("Tỷ lệ (%)")


class Indicator(models.Model):
    """What a dashboard shows: a count of one metric, or a ratio of two, named in Vietnamese.
    Data, not code: the national set is seeded by a migration."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=200)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices, default=Kind.COUNT)
    numerator = models.CharField(_("số liệu (tử số)"), max_length=64)
    denominator = models.CharField(_("mẫu số"), max_length=64, blank=True)
    # Monthly indicators count what happened in a month (assists); the others are current state.
    monthly = models.BooleanField(_("theo tháng"), default=False)
    headline = models.BooleanField(_("hiện trên thẻ tổng quan"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)
    description = models.CharField(_("giải thích"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="count", denominator="") | Q(kind="ratio") & ~Q(denominator=""),
                name="indicators_ratio_has_denominator",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def metrics(self) -> list[str]:
        return [m for m in (self.numerator, self.denominator) if m]


class Target(models.Model):
    """A province or commune aims an indicator at a value by a date (nucleus 80% by 2026-12-31)."""

    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="indicator_targets",
                             verbose_name=_("đơn vị"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets",
                                  verbose_name=_("chỉ tiêu"))
    value = models.DecimalField(_("mục tiêu"), max_digits=12, decimal_places=1)
    due_on = models.DateField(_("thời hạn"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "due_on"], name="indicators_target_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicators_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.value} {self.due_on}"


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV (.csv, mở được bằng Excel)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ đến lượt")
    RUNNING = "running", _("Đang lập báo cáo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi hệ thống: chưa lập được báo cáo")


class ReportJob(models.Model):
    """A periodic report too large to build inside a request, built by a background task.

    The file holds figures only (read from tallies, no personal data); it is kept for a limited
    time (settings.REPORT_FILE_KEEP_HOURS) and only the user who asked for it may download it.
    """

    FINISHED = (ReportStatus.DONE, ReportStatus.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    # "2026-01" for a month, "2026-Q1" for a quarter (indicators.reports.ReportPeriod).
    period = models.CharField(_("kỳ báo cáo"), max_length=7)
    format = models.CharField(_("định dạng"), max_length=4, choices=ReportFormat.choices)
    status = models.CharField(_("trạng thái"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    done_rows = models.PositiveIntegerField(_("số dòng đã lập"), default=0)
    file_name = models.CharField(_("tệp"), max_length=120, blank=True)
    file_data = models.BinaryField(default=bytes, editable=False)
    file_size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the file is dropped (the row stays, as a record that the report was made).
    expires_at = models.DateTimeField(_("xóa tệp lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt lập báo cáo")
        verbose_name_plural = _("lượt lập báo cáo")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="indicators_reportjob_user_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.format}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == ReportStatus.DONE:
            return 100
        return min(99, 100 * self.done_rows // self.total_rows) if self.total_rows else 0

    def has_file(self, now) -> bool:
        return self.status == ReportStatus.DONE and self.file_size > 0 and (self.expires_at is None or now < self.expires_at)
