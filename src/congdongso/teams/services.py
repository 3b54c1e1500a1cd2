"""Every write to teams, memberships, trainings and attendance. Each one is audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congdongso.accounts.models import User
from congdongso.audit.writer import record
from congdongso.common.text import clean_name
from congdongso.geo.models import Level, Unit
from congdongso.teams.metrics import units_tracked
from congdongso.teams.models import Attendance, Membership, Team, Training

TEAM_FIELDS = ("name", "decision_number", "decision_date", "zalo_link", "is_active")


def _check_team_unit(unit: Unit) -> None:
    if unit.level not in (Level.VILLAGE, Level.COMMUNE) or not unit.is_current:
        raise ValidationError(_("Tổ CNSCĐ chỉ được lập ở thôn/tổ dân phố hoặc xã/phường đang hoạt động."))


def team_create(
    *, unit: Unit, name: str, decision_number: str = "", decision_date: dt.date | None = None,
    zalo_link: str = "", actor_id: int | None,
) -> Team:
    _check_team_unit(unit)
    with transaction.atomic(), units_tracked([unit.pk]):
        team = Team.objects.create(
            unit=unit, name=clean_name(name), decision_number=decision_number.strip(),
            decision_date=decision_date, zalo_link=zalo_link.strip(),
        )
        record(actor_id=actor_id, action="team.create", object_type="teams.team", object_id=team.pk, unit_id=unit.pk)
    return team


def team_update(*, team: Team, actor_id: int | None, **changes) -> Team:
    unknown = set(changes) - set(TEAM_FIELDS)
    if unknown:
        raise TypeError(f"not team fields: {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = clean_name(changes["name"])
    changed = [name for name, value in changes.items() if getattr(team, name) != value]
    with transaction.atomic(), units_tracked([team.unit_id]):
        for name in changed:
            setattr(team, name, changes[name])
        if changed:
            team.save(update_fields=[*changed, "updated_at"])
            record(
                actor_id=actor_id, action="team.update", object_type="teams.team", object_id=team.pk,
                unit_id=team.unit_id, details={"fields": changed},
            )
    return team


def membership_add(
    *, team: Team, display_name: str, role: str, affiliation: str, joined_on: dt.date,
    user: User | None = None, actor_id: int | None,
) -> Membership:
    name = clean_name(display_name) or (str(user) if user else "")
    if not name:
        raise ValidationError(_("Cần nhập họ tên thành viên."))
    if user is not None and team.memberships.filter(user=user, left_on__isnull=True).exists():
        raise ValidationError(_("Người này đã là thành viên của tổ."))
    with transaction.atomic(), units_tracked([team.unit_id]):
        membership = Membership.objects.create(
            team=team, user=user, display_name=name, role=role, affiliation=affiliation, joined_on=joined_on
        )
        record(
            actor_id=actor_id, action="membership.add", object_type="teams.membership", object_id=membership.pk,
            unit_id=team.unit_id, details={"team": team.pk, "role": role, "affiliation": affiliation},
        )
    return membership


def membership_end(*, membership: Membership, left_on: dt.date, actor_id: int | None) -> Membership:
    if membership.left_on is not None:
        raise ValidationError(_("Thành viên này đã rời tổ."))
    if left_on < membership.joined_on:
        raise ValidationError(_("Ngày rời tổ không được trước ngày tham gia."))
    with transaction.atomic(), units_tracked([membership.team.unit_id]):
        membership.left_on = left_on
        membership.save(update_fields=["left_on"])
        record(
            actor_id=actor_id, action="membership.end", object_type="teams.membership", object_id=membership.pk,
            unit_id=membership.team.unit_id, details={"team": membership.team_id},
        )
    return membership


def training_create(*, unit: Unit, title: str, held_on: dt.date, location: str = "", actor_id: int | None) -> Training:
    if not clean_name(title):
        raise ValidationError(_("Cần nhập nội dung tập huấn."))
    with transaction.atomic():
        training = Training.objects.create(
            unit=unit, title=clean_name(title), held_on=held_on, location=clean_name(location)
        )
        record(
            actor_id=actor_id, action="training.create", object_type="teams.training", object_id=training.pk,
            unit_id=unit.pk,
        )
    return training


def attendance_set(
    *, training: Training, memberships: list[Membership], actor_id: int | None
) -> int:
    """Make the attendance list exactly these memberships; returns how many attended."""
    wanted = {m.pk for m in memberships}
    with transaction.atomic():
        Attendance.objects.filter(training=training).exclude(membership_id__in=wanted).delete()
        present = set(Attendance.objects.filter(training=training).values_list("membership_id", flat=True))
        Attendance.objects.bulk_create(
            [Attendance(training=training, membership_id=pk) for pk in sorted(wanted - present)]
        )
        record(
            actor_id=actor_id, action="training.attendance", object_type="teams.training", object_id=training.pk,
            unit_id=training.unit_id, details={"attended": len(wanted)},
        )
    return len(wanted)
