"""Rebuilding the tally table from facts and checking it against them; setting targets."""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from congdongso.audit.writer import record
from congdongso.geo.models import Level, Unit
from congdongso.indicators.models import Indicator, Kind, Tally, Target
from congdongso.indicators.registry import metric_sources
from congdongso.indicators.writer import Key, expand

Progress = Callable[[str, int, int], None]
"""(step, done, total)"""


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def tallies_expected(progress: Progress = _no_progress) -> Counter[Key]:
    """Every tally as the facts say it should be."""
    sources = metric_sources()
    expected: Counter[Key] = Counter()
    for done, (name, recount) in enumerate(sources.items(), start=1):
        expected.update(expand(recount(None)))
        progress(name, done, len(sources))
    return +expected  # drops zeros


def tallies_actual() -> Counter[Key]:
    return Counter(
        {
            (unit_id, period, metric): value
            for unit_id, period, metric, value in Tally.objects.values_list("unit_id", "period", "metric", "value")
        }
    )


@dataclass(frozen=True)
class TallyCheck:
    differing: int
    examples: list[tuple[Key, int, int]]  # key, expected, actual

    @property
    def ok(self) -> bool:
        return self.differing == 0


def tallies_check(progress: Progress = _no_progress) -> TallyCheck:
    expected, actual = tallies_expected(progress), tallies_actual()
    keys = [key for key in expected.keys() | actual.keys() if expected.get(key, 0) != actual.get(key, 0)]
    keys.sort()
    return TallyCheck(len(keys), [(key, expected.get(key, 0), actual.get(key, 0)) for key in keys[:20]])


INSERT_CHUNK = 5_000


def tallies_rebuild(progress: Progress = _no_progress) -> int:
    """Replace the whole table with a recount from facts, in one transaction. Returns the row count."""
    with transaction.atomic():
        # Counted inside the transaction, so no write can slip between the count and the swap.
        expected = tallies_expected(progress)
        rows = [(unit_id, period, metric, value) for (unit_id, period, metric), value in expected.items()]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM indicators_tally")
            for start in range(0, len(rows), INSERT_CHUNK):
                cursor.executemany(
                    "INSERT INTO indicators_tally (unit_id, period, metric, value) VALUES (%s, %s, %s, %s)",
                    rows[start : start + INSERT_CHUNK],
                )
                progress("write", min(start + INSERT_CHUNK, len(rows)), len(rows))
    return len(rows)


# --- targets --------------------------------------------------------------------------------------

TARGET_LEVELS = (Level.PROVINCE, Level.COMMUNE)


def target_set(*, unit: Unit, indicator: Indicator, value: Decimal, due_on: dt.date, actor_id: int | None) -> Target:
    """A province or commune aims an indicator at a value by a date (one target per date: setting
    it again changes it). The caller checks that the actor manages the unit."""
    if unit.level not in TARGET_LEVELS or not unit.is_current:
        raise ValidationError(_("Chỉ tỉnh/thành phố hoặc xã/phường đang hoạt động mới đặt mục tiêu."))
    if value < 0 or (indicator.kind == Kind.RATIO and value > 100):
        raise ValidationError(_("Mục tiêu tỷ lệ phải từ 0 đến 100%.") if indicator.kind == Kind.RATIO
                              else _("Mục tiêu không được âm."))
    with transaction.atomic():
        target, created = Target.objects.update_or_create(
            unit=unit, indicator=indicator, due_on=due_on, defaults={"value": value, "set_by_id": actor_id}
        )
        record(
            actor_id=actor_id, action="target.set", object_type="indicators.target", object_id=target.pk,
            unit_id=unit.pk, details={"indicator": indicator.code, "value": str(value), "due_on": due_on.isoformat()},
        )
    return target


def target_delete(*, target: Target, actor_id: int | None) -> None:
    with transaction.atomic():
        record(
            actor_id=actor_id, action="target.delete", object_type="indicators.target", object_id=target.pk,
            unit_id=target.unit_id, details={"indicator": target.indicator.code},
        )
        target.delete()
