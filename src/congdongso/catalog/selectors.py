"""Reads of the catalogue: services a user or a province sees, the rules in force in a province,
what to help a household with next, and each resident's five skills at a glance."""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congdongso.accounts.models import User
from congdongso.accounts.selectors import get_in_scope_or_404, scope_of
from congdongso.catalog.models import Adoption, AdoptionState, RecommendationRule, Service, Skill
from congdongso.geo.models import Level, Unit
from congdongso.households.models import Device, Household, Resident, Tag

# --- the catalogue --------------------------------------------------------------------------------


def province_id_of(unit: Unit) -> int:
    """The province a unit lies in, read off its materialised path."""
    return unit.ancestor_ids[0]


def services_in_province(province_id: int | None, *, include_inactive: bool = False) -> QuerySet[Service]:
    """National services plus the province's own (only national ones when `province_id` is None)."""
    services = Service.objects.filter(Q(province__isnull=True) | Q(province_id=province_id))
    if not include_inactive:
        services = services.filter(is_active=True)
    return services.select_related("province").order_by("sort_order", "code")


def services_visible(user: User, *, include_inactive: bool = False) -> QuerySet[Service]:
    """National services plus those of every province the user's scope touches."""
    scope = scope_of(user)
    services = Service.objects.select_related("province")
    if not scope.everything:
        provinces = {int(path.strip("/").split("/")[0]) for path in scope.paths}
        services = services.filter(Q(province__isnull=True) | Q(province_id__in=provinces))
    if not include_inactive:
        services = services.filter(is_active=True)
    return services.order_by("sort_order", "code")


def service_in_scope_or_404(user: User, service_id: int) -> Service:
    """A service the user can see (national, or of a province in their scope), active or not."""
    try:
        return services_visible(user, include_inactive=True).get(pk=service_id)
    except (Service.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def provinces_managed(user: User) -> list[Unit]:
    """Provinces whose own services and rules the user may change (province officers, national admins)."""
    scope = scope_of(user)
    provinces = Unit.objects.current().filter(level=Level.PROVINCE).order_by("name")
    if scope.everything:
        return list(provinces)
    return [province for province in provinces.filter(scope.q()) if scope.administers_units(province)]


def can_manage_catalog(user: User, province: Unit) -> bool:
    return province.level == Level.PROVINCE and province.is_current and scope_of(user).administers_units(province)


def province_in_scope_or_404(user: User, province_id: int) -> Unit:
    return get_in_scope_or_404(
        Unit.objects.current().filter(level=Level.PROVINCE), user, unit_field="", pk=province_id
    )


def rule_in_scope_or_404(user: User, rule_id: int) -> RecommendationRule:
    """A province's rule inside the user's scope (national rules are changed in the admin only)."""
    return get_in_scope_or_404(
        RecommendationRule.objects.select_related("service", "province").filter(province__isnull=False),
        user, unit_field="province", pk=rule_id,
    )


# --- rules in force -------------------------------------------------------------------------------


def rules_in_force(province_id: int | None) -> list[RecommendationRule]:
    """The active rules that apply in a province, in the order they are tried: the province's own
    rules, and the national rules of every service the province has no active rule for. A rule
    whose service is inactive, or belongs to another province, never applies."""
    rules = list(
        RecommendationRule.objects.filter(is_active=True, service__is_active=True)
        .filter(Q(province__isnull=True) | Q(province_id=province_id))
        .select_related("service")
    )
    overridden = {rule.service_id for rule in rules if rule.province_id is not None}
    kept = [
        rule for rule in rules
        if (rule.province_id is not None or rule.service_id not in overridden)
        and rule.service.province_id in (None, province_id)
    ]
    kept.sort(key=lambda rule: (rule.priority, rule.service.sort_order, rule.service.code, rule.province_id is None, rule.pk))
    return kept


@dataclass(frozen=True)
class RuleRow:
    rule: RecommendationRule
    overridden: bool  # a national rule the province replaced with its own

    @property
    def tag_labels(self) -> list[str]:
        return [str(Tag(tag).label) for tag in self.rule.tags_any if tag in Tag.values]

    @property
    def device_labels(self) -> list[str]:
        return [str(Device(device).label) for device in self.rule.devices if device in Device.values]


def rules_for_page(province: Unit) -> list[RuleRow]:
    """Every rule an officer of the province should see: theirs (active or not), then the national
    ones, marked when the province's active rules replace them."""
    rules = list(
        RecommendationRule.objects.filter(Q(province__isnull=True) | Q(province=province))
        .select_related("service", "province")
        .order_by("province_id", "priority", "service__sort_order", "pk")
    )
    overriding = {r.service_id for r in rules if r.province_id is not None and r.is_active}
    own = [RuleRow(r, False) for r in rules if r.province_id is not None]
    national = [RuleRow(r, r.service_id in overriding) for r in rules if r.province_id is None]
    return own + national


# --- recommendations ------------------------------------------------------------------------------


class Recommendation(NamedTuple):
    service: Service
    reason: str
    resident: Resident | None


def age_of(resident: Resident, year: int) -> int | None:
    return year - resident.birth_year if resident.birth_year else None


def _age_matches(rule: RecommendationRule, age: int | None) -> bool:
    if rule.min_age is None and rule.max_age is None:
        return True
    if age is None:
        # Unknown age matches only rules without age limits.
        return False
    return (rule.min_age is None or age >= rule.min_age) and (rule.max_age is None or age <= rule.max_age)


def _can_use(service: Service, resident: Resident) -> bool:
    return not service.needs_smartphone or resident.device == Device.SMARTPHONE


def _target_order(resident: Resident, state: str | None, year: int) -> tuple:
    """Whom to help first with a service: the resident closest to being the household's digital
    nucleus, then one already started on it, then a working-age adult, then the first recorded."""
    age = age_of(resident, year)
    adult = 0 if age is not None and 15 <= age <= 64 else (1 if age is None else 2)
    return (-len(resident.skills or []), state != AdoptionState.ASSISTED, adult, resident.created_at, str(resident.pk))


_NO_TARGET = object()


def _target(rule: RecommendationRule, residents: list[Resident], states: dict, year: int):
    """The resident to help under this rule, None for a household with no residents recorded, or
    _NO_TARGET when nobody fits (conditions unmet, no smartphone, or already independent)."""
    if not residents:
        has_person_conditions = rule.min_age is not None or rule.max_age is not None or rule.devices
        return _NO_TARGET if has_person_conditions else None
    service = rule.service
    candidates = [
        r for r in residents
        if _age_matches(rule, age_of(r, year))
        and (not rule.devices or r.device in rule.devices)
        and _can_use(service, r)
        and states.get((r.pk, service.pk)) != AdoptionState.INDEPENDENT
    ]
    if not candidates:
        return _NO_TARGET
    return min(candidates, key=lambda r: _target_order(r, states.get((r.pk, service.pk)), year))


def recommendations_for(
    household: Household, *, limit: int = 5, rules: list[RecommendationRule] | None = None, year: int | None = None,
) -> list[Recommendation]:
    """The next services to help a household with, best first, each with its reason and the resident
    to help (None when the household has no residents recorded).

    Rules of the household's province replace the national rules of the same service; a service
    appears once, with the reason of its first matching rule; services the target residents already
    use independently are skipped; smartphone-only services go only to residents with a smartphone.
    Pass `rules=rules_in_force(province_id)` when listing many households of one province."""
    if rules is None:
        rules = rules_in_force(province_id_of(household.village))
    year = year or timezone.localdate().year
    residents = list(household.residents.order_by("created_at", "pk"))
    states = {
        (resident_id, service_id): state
        for resident_id, service_id, state in Adoption.objects.filter(
            resident__household=household
        ).values_list("resident_id", "service_id", "state")
    }
    tags = household.tags
    chosen: list[Recommendation] = []
    seen: set[int] = set()
    for rule in rules:
        if len(chosen) >= limit:
            break
        if rule.service_id in seen or (rule.tags_any and not tags.intersection(rule.tags_any)):
            continue
        target = _target(rule, residents, states, year)
        if target is _NO_TARGET:
            continue
        seen.add(rule.service_id)
        chosen.append(Recommendation(rule.service, rule.reason, target))
    return chosen


# --- skills at a glance ---------------------------------------------------------------------------

GLANCE_INDEPENDENT = "independent"
GLANCE_ASSISTED = "assisted"
GLANCE_NONE = "none"
_GLANCE_RANK = {GLANCE_NONE: 0, GLANCE_ASSISTED: 1, GLANCE_INDEPENDENT: 2}
_FROM_STATE = {
    AdoptionState.NOT_YET: GLANCE_NONE,
    AdoptionState.ASSISTED: GLANCE_ASSISTED,
    AdoptionState.INDEPENDENT: GLANCE_INDEPENDENT,
}


@dataclass(frozen=True)
class SkillCell:
    skill: str
    label: str
    state: str  # independent / assisted / none


@dataclass(frozen=True)
class ResidentSkills:
    resident: Resident
    states: dict[str, str]  # skill -> independent / assisted / none

    @property
    def cells(self) -> list[SkillCell]:
        return [SkillCell(skill.value, skill.label, self.states[skill.value]) for skill in Skill]

    @property
    def independent_count(self) -> int:
        return sum(state == GLANCE_INDEPENDENT for state in self.states.values())


def skills_at_a_glance(household: Household) -> list[ResidentSkills]:
    """For each resident (in the order recorded), each of the five skills: independent when a
    service of the skill is used independently, assisted when one was helped with, else none."""
    residents = list(household.residents.order_by("created_at", "pk"))
    states = {r.pk: dict.fromkeys(Skill.values, GLANCE_NONE) for r in residents}
    rows = Adoption.objects.filter(resident__household=household).values_list("resident_id", "service__skill", "state")
    for resident_id, skill, state in rows:
        glance = _FROM_STATE.get(state, GLANCE_NONE)
        current = states[resident_id].get(skill)
        if current is not None and _GLANCE_RANK[glance] > _GLANCE_RANK[current]:
            states[resident_id][skill] = glance
    return [ResidentSkills(r, states[r.pk]) for r in residents]


def service_names() -> dict[str, str]:
    """Every service's name by code (a few dozen rows), for dashboards and reports."""
    return dict(Service.objects.values_list("code", "name"))
