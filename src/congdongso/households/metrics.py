"""What households count, and the one way household changes reach the tallies.

Facts hang on the household's village. Apps that keep facts about a household (catalog's adoption)
register their own recount by household here, so that `households_tracked` measures a change to a
household as a whole: its own columns, its residents, and everything registered.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain

from django.db import connection
from django.db.models import Count, Q, Sum

from congdongso.households.models import Household, Resident
from congdongso.indicators.periods import STATE
from congdongso.indicators.registry import Row
from congdongso.indicators.writer import add, tracked, under_any

HOUSEHOLDS = "households"
CONSENTED = "households.consented"
NUCLEUS = "households.nucleus"
BUSINESS = "households.business"
RESIDENTS = "residents"
PROFICIENT = "residents.proficient"

HouseholdRecount = Callable[[Q], Iterable[Row]]
"""(a filter on households) -> rows; registered by apps that keep facts about households."""

_household_recounts: list[HouseholdRecount] = []


def register_household_recount(recount: HouseholdRecount) -> None:
    if recount not in _household_recounts:
        _household_recounts.append(recount)


def _own_rows(households: Q) -> Iterator[Row]:
    grouped = (
        Household.objects.filter(households)
        .values_list("village_id")
        .annotate(
            n=Count("pk"),
            consented=Count("pk", filter=Q(has_consent=True)),
            nucleus=Count("pk", filter=Q(has_nucleus=True)),
            business=Count("pk", filter=Q(is_business=True)),
            residents=Sum("resident_count"),
        )
        .order_by()
    )
    for village_id, n, consented, nucleus, business, residents in grouped:
        yield (village_id, STATE, HOUSEHOLDS, n)
        yield (village_id, STATE, CONSENTED, consented)
        yield (village_id, STATE, NUCLEUS, nucleus)
        yield (village_id, STATE, BUSINESS, business)
        yield (village_id, STATE, RESIDENTS, residents or 0)
    proficient = (
        # An empty Q is the full recount: no IN (SELECT every household) for the planner to misjudge.
        Resident.objects.filter(Q(household__in=Household.objects.filter(households)) if households else Q(),
                                proficient=True)
        .values_list("household__village_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for village_id, n in proficient:
        yield (village_id, STATE, PROFICIENT, n)


def _rows(households: Q) -> Iterator[Row]:
    return chain(_own_rows(households), *(recount(households) for recount in _household_recounts))


def recount(prefixes: Sequence[str] | None) -> Iterator[Row]:
    return _rows(under_any(prefixes, "village__path"))


def recount_households(ids: list) -> Iterator[Row]:
    return _rows(Q(pk__in=ids))


def households_tracked(ids: Iterable):
    """Count what a change to these households (or their residents, or their adoption) does."""
    return tracked("household", ids, _locked_recount)


def _locked_recount(ids: list) -> Iterator[Row]:
    # Two writers changing one household at once must not both measure the same "before": the
    # first recount takes the households' row locks (PostgreSQL; SQLite's IMMEDIATE transactions
    # already let one writer in at a time), held until the transaction ends.
    if connection.in_atomic_block and connection.features.has_select_for_update:
        list(Household.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    return recount_households(ids)


def households_imported(
    villages: Iterable[int], consented: Iterable[bool], business: Iterable[bool], resident_counts: Iterable[int]
) -> None:
    """Count households written by bulk SQL (an import), from the values written, as `_own_rows`
    would count them: new households have no nucleus, no proficient resident and no adoption yet.
    A recount of 100,000 new households would cost the import more than its own inserts."""
    counts: Counter = Counter()
    for village_id, has_consent, is_business, residents in zip(villages, consented, business, resident_counts, strict=True):
        counts[(village_id, HOUSEHOLDS)] += 1
        counts[(village_id, CONSENTED)] += bool(has_consent)
        counts[(village_id, BUSINESS)] += bool(is_business)
        counts[(village_id, RESIDENTS)] += residents or 0
    add((village_id, STATE, metric, n) for (village_id, metric), n in counts.items() if n)


def households_counted(ids: list) -> None:
    """Count households that did not exist before (a create, an import)."""
    for start in range(0, len(ids), 900):
        add(recount_households(ids[start : start + 900]))
