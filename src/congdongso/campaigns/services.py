"""Writing campaigns: create, edit, set targets per unit; the check on an assist tagged to one.

A campaign is run by a province or a commune (its officers, or a national admin); every unit of its
subtree takes part. `actor=None` is the system (demo data, commands): no manager check.
"""

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.accounts.models import User
from congdongso.accounts.selectors import scope_of
from congdongso.audit.writer import record
from congdongso.campaigns.models import Campaign, CampaignTarget
from congdongso.catalog.models import Service
from congdongso.common.text import clean_name
from congdongso.geo.models import Level, Unit

CAMPAIGN_LEVELS = (Level.PROVINCE, Level.COMMUNE)
MAX_DAYS = 366
MAX_NAME = 200
MAX_DESCRIPTION = 500
MAX_TARGET = 10_000_000


def campaign_create(
    *, actor: User | None, unit: Unit, name: str, starts_on: dt.date, ends_on: dt.date,
    service: Service | None = None, description: str = "",
) -> Campaign:
    """A province or commune launches a drive over its subtree."""
    _check_unit(actor, unit)
    name, description = _check_fields(name=name, description=description, starts_on=starts_on, ends_on=ends_on)
    if ends_on < timezone.localdate():
        raise ValidationError(_("Ngày kết thúc đã qua: chiến dịch mới phải còn diễn ra."), code="ended")
    _check_service(service, unit)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name, unit=unit, starts_on=starts_on, ends_on=ends_on, service=service, description=description,
            created_by=actor,
        )
        record(
            actor_id=_id(actor), action="campaign.create", object_type="campaigns.campaign", object_id=campaign.pk,
            unit_id=unit.pk, details=_audit_details(campaign),
        )
    return campaign


def campaign_update(
    *, actor: User | None, campaign: Campaign, name: str, starts_on: dt.date, ends_on: dt.date,
    service: Service | None = None, description: str = "",
) -> Campaign:
    """Change a campaign's name, dates, service or description (not its unit: assists already tagged
    belong to that subtree). The dates must still hold every assist already tagged to it."""
    _check_unit(actor, campaign.unit, existing=True)
    name, description = _check_fields(name=name, description=description, starts_on=starts_on, ends_on=ends_on)
    _check_service(service, campaign.unit)
    with transaction.atomic():
        # Locked, so no assist is tagged between the check and the change (PostgreSQL; SQLite's
        # IMMEDIATE transactions let one writer in at a time).
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        span = locked.assists.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
        if span["first"] is not None:
            first, last = timezone.localdate(span["first"]), timezone.localdate(span["last"])
            if first < starts_on or last > ends_on:
                raise ValidationError(
                    _(
                        "Đã có lượt hỗ trợ tính cho chiến dịch từ %(first)s đến %(last)s: thời gian chiến dịch "
                        "phải bao gồm các ngày đó."
                    ) % {"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")},
                    code="assists_outside",
                )
        locked.name, locked.starts_on, locked.ends_on = name, starts_on, ends_on
        locked.service, locked.description = service, description
        locked.save(update_fields=["name", "starts_on", "ends_on", "service", "description"])
        record(
            actor_id=_id(actor), action="campaign.update", object_type="campaigns.campaign", object_id=locked.pk,
            unit_id=locked.unit_id, details=_audit_details(locked),
        )
    return locked


def campaign_targets_set(*, actor: User | None, campaign: Campaign, targets: Mapping[int, int | None]) -> int:
    """Set the target of each unit (unit id -> target; None or 0 removes it), e.g. "+N VNeID level-2
    activations" per commune. Every unit must be a current unit of the campaign's subtree that the
    actor manages. Returns how many targets changed."""
    if not targets:
        return 0
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(targets))}
    scope = scope_of(actor) if actor is not None else None
    for unit_id, value in targets.items():
        unit = units.get(unit_id)
        if unit is None or not unit.is_current or not unit.path.startswith(campaign.unit.path):
            raise ValidationError(_("Chỉ đặt chỉ tiêu cho đơn vị thuộc phạm vi chiến dịch."), code="unit")
        if scope is not None and not scope.manages(unit):
            raise ValidationError(
                _("Bạn không quản lý %(unit)s nên không đặt chỉ tiêu cho đơn vị này.") % {"unit": unit.name},
                code="not_manager",
            )
        if value is not None and not 0 <= value <= MAX_TARGET:
            raise ValidationError(_("Chỉ tiêu phải là số nguyên từ 0 đến 10.000.000."), code="value")
    wanted = {unit_id: value for unit_id, value in targets.items() if value}
    with transaction.atomic():
        current = {t.unit_id: t for t in CampaignTarget.objects.filter(campaign=campaign, unit_id__in=list(targets))}
        removed = [t.pk for unit_id, t in current.items() if unit_id not in wanted]
        changed = [t for unit_id, t in current.items() if unit_id in wanted and t.target != wanted[unit_id]]
        added = [CampaignTarget(campaign=campaign, unit_id=unit_id, target=value)
                 for unit_id, value in wanted.items() if unit_id not in current]
        CampaignTarget.objects.filter(pk__in=removed).delete()
        for target in changed:
            target.target = wanted[target.unit_id]
        CampaignTarget.objects.bulk_update(changed, ["target"])
        CampaignTarget.objects.bulk_create(added)
        count = len(removed) + len(changed) + len(added)
        if count:
            record(
                actor_id=_id(actor), action="campaign.targets", object_type="campaigns.campaign",
                object_id=campaign.pk, unit_id=campaign.unit_id,
                details={
                    "set": sorted([t.unit_id for t in changed] + [t.unit_id for t in added]),
                    "removed": sorted(unit_id for unit_id in current if unit_id not in wanted),
                },
            )
    return count


def campaign_targets_move(source_ids: list[int], target_id: int) -> int:
    """Unit-merge mover (geo.registry): the targets of merged units add up on the unit they merge
    into (a merged commune's "+N" joins the target commune's), one target per campaign and unit."""
    moving = list(CampaignTarget.objects.filter(unit_id__in=source_ids).order_by("pk"))
    if not moving:
        return 0
    sums: dict[int, int] = {}
    for target in moving:
        sums[target.campaign_id] = sums.get(target.campaign_id, 0) + target.target
    kept = {t.campaign_id: t for t in CampaignTarget.objects.filter(unit_id=target_id, campaign_id__in=list(sums))}
    CampaignTarget.objects.filter(pk__in=[t.pk for t in moving]).delete()
    for campaign_id, total in sums.items():
        if campaign_id in kept:
            CampaignTarget.objects.filter(pk=kept[campaign_id].pk).update(target=kept[campaign_id].target + total)
        else:
            CampaignTarget.objects.create(campaign_id=campaign_id, unit_id=target_id, target=total)
    return len(moving)


def assist_campaign_check(*, village: Unit, occurred_at: dt.datetime, campaign_id: int | None) -> None:
    """An assist may be tagged to a campaign only when the campaign covers the household's village
    and was running on the day of the help (local date: a phone syncing after the end still counts
    help given while it ran). Registered with outreach, which runs it in `assist_record`."""
    if campaign_id is None:
        return
    campaign = Campaign.objects.select_related("unit").filter(pk=campaign_id).first()
    if campaign is None or campaign.unit_id not in village.ancestor_ids:
        raise ValidationError(_("Chiến dịch đã chọn không áp dụng cho thôn/tổ dân phố của hộ này."),
                              code="campaign_elsewhere")
    day = timezone.localdate(occurred_at)
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError(
            _("Chiến dịch “%(name)s” chỉ diễn ra từ %(start)s đến %(end)s, không tính lượt hỗ trợ ngày %(day)s.")
            % {
                "name": campaign.name, "start": campaign.starts_on.strftime("%d/%m/%Y"),
                "end": campaign.ends_on.strftime("%d/%m/%Y"), "day": day.strftime("%d/%m/%Y"),
            },
            code="campaign_not_running",
        )


def commendations_export_record(
    *, actor_id: int | None, unit: Unit, starts_on: dt.date, ends_on: dt.date, file_format: str, members: int,
    teams: int,
) -> None:
    """Audit an export of a commendation proposal (members' names leave the system): ids and counts."""
    record(
        actor_id=actor_id, action="commendations.export", object_type="geo.unit", object_id=unit.pk, unit_id=unit.pk,
        details={
            "format": file_format, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
            "members": members, "teams": teams,
        },
    )


# --- checks ---------------------------------------------------------------------------------------


def _id(actor: User | None) -> int | None:
    return actor.pk if actor is not None else None


def _check_unit(actor: User | None, unit: Unit, *, existing: bool = False) -> None:
    if not existing and (unit.level not in CAMPAIGN_LEVELS or not unit.is_current):
        raise ValidationError(_("Chỉ tỉnh/thành phố hoặc xã/phường đang hoạt động mới phát động chiến dịch."),
                              code="level")
    if actor is not None and not scope_of(actor).manages(unit):
        raise ValidationError(
            _("Chỉ cán bộ quản lý %(unit)s mới lập hoặc sửa chiến dịch của đơn vị này.") % {"unit": unit.name},
            code="not_manager",
        )


def _check_fields(*, name: str, description: str, starts_on: dt.date, ends_on: dt.date) -> tuple[str, str]:
    name, description = clean_name(name or ""), clean_name(description or "")
    if not name:
        raise ValidationError(_("Cần đặt tên chiến dịch."), code="name")
    if len(name) > MAX_NAME:
        raise ValidationError(_("Tên chiến dịch tối đa %(max)s ký tự.") % {"max": MAX_NAME}, code="name")
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(_("Mô tả tối đa %(max)s ký tự.") % {"max": MAX_DESCRIPTION}, code="description")
    if ends_on < starts_on:
        raise ValidationError(_("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."), code="dates")
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise ValidationError(_("Một chiến dịch kéo dài tối đa %(days)s ngày.") % {"days": MAX_DAYS}, code="dates")
    return name, description


def _check_service(service: Service | None, unit: Unit) -> None:
    if service is None:
        return
    if not service.is_active or service.province_id not in (None, unit.ancestor_ids[0]):
        raise ValidationError(_("Dịch vụ trọng tâm không có trong danh mục của địa phương."), code="service")


def _audit_details(campaign: Campaign) -> dict:
    return {
        "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
        "service": campaign.service.code if campaign.service_id else "",
    }
