"""An append-only record of who did what. Carries ids and counts, never personal data."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("hành động"), max_length=64, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=64)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    # A plain id, not a foreign key: history keeps pointing at the unit as it was, even after a merge.
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True, db_index=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events are append-only.")


class AccessChannel(models.TextChoices):
    PAGE = "page", _("Trang web")
    API = "api", _("API")
    SYNC = "sync", _("Đồng bộ điện thoại")
    EXPORT = "export", _("Xuất tệp")


class AccessLog(models.Model):
    """Who saw households' personal details: one row per view and village, ids and counts only.

    Kept apart from AuditEvent because it is written on reads, at read volume: a list page or a sync
    page showing many households writes one row per village it touched (the household ids in a list),
    not one per household, and never a name. `unit_id` is the village as it was, a plain id like
    AuditEvent's, so a later merge does not rewrite who looked at what.
    """

    occurred_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người xem"),
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=AccessChannel.choices)
    what = models.CharField(_("nội dung xem"), max_length=40)
    unit_id = models.BigIntegerField(_("thôn"), null=True, blank=True)
    # Set when one household was on show (its own pages); household_ids lists every household shown.
    household_id = models.UUIDField(_("hộ"), null=True, blank=True, db_index=True)
    household_ids = models.JSONField(_("các hộ"), default=list, blank=True)
    households = models.PositiveIntegerField(_("số hộ"), default=1)
    people = models.PositiveIntegerField(_("số người"), default=0)

    class Meta:
        verbose_name = _("lượt xem thông tin hộ")
        verbose_name_plural = _("lượt xem thông tin hộ")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Every read starts from the units in scope and a time range: "who looked at my communes'
            # households" (newest first), and the volumes per person over the last weeks, which this
            # index covers (actor and households in it) so the grouped query never reads the rows.
            models.Index(fields=["unit_id", "occurred_at", "actor", "households"], name="audit_access_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.what} ×{self.households}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Access records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Access records are append-only.")
