"""Campaigns: time-boxed drives (the October "ra quân" for National Digital Transformation Day)
with a target service and a target per unit. Assists are tagged to a campaign by the member."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    name = models.CharField(_("tên chiến dịch"), max_length=200)
    # The unit that runs it (a province or a commune); its subtree takes part.
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="campaigns",
                             verbose_name=_("đơn vị phát động"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    # What counts toward the target: assists done for this service ("+N VNeID level 2").
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="campaigns", verbose_name=_("dịch vụ trọng tâm"))
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chiến dịch")
        verbose_name_plural = _("chiến dịch")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaigns_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """How many done assists of the campaign's service a unit aims for."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    target = models.PositiveIntegerField(_("chỉ tiêu"))

    class Meta:
        verbose_name = _("chỉ tiêu chiến dịch")
        verbose_name_plural = _("chỉ tiêu chiến dịch")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="campaigns_target_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.unit_id} {self.target}"
