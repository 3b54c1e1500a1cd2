"""What the catalogue counts (registered with households: adoption is a fact about a household): residents using each service independently, and residents who have
each of the five basic skills (at least one of its services used independently)."""

from collections.abc import Iterator

from django.db.models import Count, Q

from congdongso.catalog.models import Adoption, AdoptionState
from congdongso.households.models import Household
from congdongso.indicators.periods import STATE
from congdongso.indicators.registry import Row

INDEPENDENT = "adoption.independent."
SKILL = "residents.skill."


def independent_metric(service_code: str) -> str:
    return INDEPENDENT + service_code


def skill_metric(skill: str) -> str:
    return SKILL + skill


def household_rows(households: Q) -> Iterator[Row]:
    # An empty Q is the full recount: no IN (SELECT every household), which PostgreSQL may plan as a
    # nested loop over a large table it has no statistics for yet (a bulk import in the same transaction).
    among = Q(resident__household__in=Household.objects.filter(households)) if households else Q()
    adoptions = Adoption.objects.filter(among, state=AdoptionState.INDEPENDENT)
    by_service = (
        adoptions.values_list("resident__household__village_id", "service__code").annotate(n=Count("pk")).order_by()
    )
    for village_id, code, n in by_service:
        yield (village_id, STATE, independent_metric(code), n)
    by_skill = (
        adoptions.values_list("resident__household__village_id", "service__skill")
        .annotate(n=Count("resident_id", distinct=True))
        .order_by()
    )
    for village_id, skill, n in by_skill:
        yield (village_id, STATE, skill_metric(skill), n)

