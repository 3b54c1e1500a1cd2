"""Writes to the catalogue and to adoption; every adoption change refreshes the derived state
(a resident's skills and proficiency, the household's digital nucleus) in the same transaction."""

import datetime as dt
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.audit.writer import record
from congdongso.catalog.models import Adoption, AdoptionState, Service, Skill
from congdongso.common.text import clean_name
from congdongso.geo.models import Level, Unit
from congdongso.households.models import Resident
from congdongso.households.services import household_state_set

_RANK = {AdoptionState.NOT_YET: 0, AdoptionState.ASSISTED: 1, AdoptionState.INDEPENDENT: 2}


def service_create(
    *, code: str, name: str, skill: str, province: Unit | None, description: str = "",
    needs_smartphone: bool = True, actor_id: int | None,
) -> Service:
    """Add a service; a province officer adds their province's own (e.g. a citizen app)."""
    code = code.strip().lower()
    if not code or len(code) > 40 or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in code):
        raise ValidationError(_("Mã dịch vụ chỉ gồm chữ cái không dấu, chữ số, gạch ngang (tối đa 40 ký tự)."))
    if Service.objects.filter(code=code).exists():
        raise ValidationError(_("Mã dịch vụ này đã được dùng (mã không bao giờ được dùng lại)."))
    if skill not in Skill.values:
        raise ValidationError(_("Kỹ năng không hợp lệ."))
    if province is not None and (province.level != Level.PROVINCE or not province.is_current):
        raise ValidationError(_("Dịch vụ riêng phải thuộc một tỉnh/thành phố đang hoạt động."))
    if not clean_name(name):
        raise ValidationError(_("Cần nhập tên dịch vụ."))
    with transaction.atomic():
        service = Service.objects.create(
            code=code, name=clean_name(name)[:200], skill=skill, province=province,
            description=clean_name(description)[:300], needs_smartphone=needs_smartphone,
        )
        record(
            actor_id=actor_id, action="service.create", object_type="catalog.service", object_id=service.pk,
            unit_id=province.pk if province else None, details={"code": code},
        )
    return service


def adoptions_raise(
    *, resident: Resident, services: list[Service], state: str, at: dt.datetime | None = None
) -> int:
    """Move each service's adoption up to `state` (never down: help does not unlearn), then refresh
    the derived state. Returns how many adoptions changed. Runs inside the caller's transaction."""
    at = at or timezone.now()
    existing = {a.service_id: a for a in Adoption.objects.filter(resident=resident, service__in=services)}
    changed = 0
    with transaction.atomic():
        for service in services:
            adoption = existing.get(service.pk) or Adoption(resident=resident, service=service)
            if adoption.pk and _RANK[state] <= _RANK[adoption.state]:
                continue
            adoption.state = state
            if state in (AdoptionState.ASSISTED, AdoptionState.INDEPENDENT) and adoption.first_assisted_at is None:
                adoption.first_assisted_at = at
            if state == AdoptionState.INDEPENDENT and adoption.independent_since is None:
                adoption.independent_since = at
            adoption.save()
            changed += 1
        if changed:
            household_refresh(household_id=resident.household_id)
    return changed


def adoption_set(*, resident: Resident, service: Service, state: str, actor_id: int | None) -> Adoption:
    """Set one adoption to any state (a correction by a member), then refresh the derived state."""
    if state not in AdoptionState.values:
        raise ValidationError(_("Mức độ sử dụng không hợp lệ."))
    now = timezone.now()
    with transaction.atomic():
        adoption, _created = Adoption.objects.get_or_create(resident=resident, service=service)
        adoption.state = state
        if state != AdoptionState.NOT_YET and adoption.first_assisted_at is None:
            adoption.first_assisted_at = now
        adoption.independent_since = (adoption.independent_since or now) if state == AdoptionState.INDEPENDENT else None
        adoption.save()
        household_refresh(household_id=resident.household_id)
        record(
            actor_id=actor_id, action="adoption.set", object_type="households.resident", object_id=resident.pk,
            details={"service": service.code, "state": state},
        )
    return adoption


def household_refresh(*, household_id) -> None:
    """Recompute each resident's skills (a skill counts once a service of it is used independently)
    and the household's nucleus from adoption."""
    skills: dict = {pk: set() for pk in Resident.objects.filter(household_id=household_id).values_list("pk", flat=True)}
    rows = Adoption.objects.filter(
        resident__household_id=household_id, state=AdoptionState.INDEPENDENT
    ).values_list("resident_id", "service__skill")
    for resident_id, skill in rows:
        skills[resident_id].add(skill)
    household_state_set(household_id=household_id, residents_skills=skills)
