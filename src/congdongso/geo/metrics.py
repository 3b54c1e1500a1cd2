"""What geo counts: the current villages (the denominator of team coverage)."""

from collections.abc import Iterator, Sequence

from congdongso.geo.models import Level, Unit
from congdongso.indicators.periods import STATE
from congdongso.indicators.registry import Row
from congdongso.indicators.writer import under_any

VILLAGES = "villages"


def recount(prefixes: Sequence[str] | None) -> Iterator[Row]:
    villages = Unit.objects.current().filter(under_any(prefixes), level=Level.VILLAGE)
    for pk in villages.values_list("pk", flat=True).iterator(chunk_size=5_000):
        yield (pk, STATE, VILLAGES, 1)


def village_counted(unit_id: int) -> Iterator[Row]:
    yield (unit_id, STATE, VILLAGES, 1)
