"""Rebuilding the tally table from facts and checking it against them; setting targets."""

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
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


def tallies_expected(progress: Progress = _no_progress, *, parallel: bool = False) -> Counter[Key]:
    """Every tally as the facts say it should be. With `parallel`, the sources are recounted on
    threads with their own connections (see `_parallel_reads_consistent`)."""
    sources = metric_sources()
    expected: Counter[Key] = Counter()
    if not parallel:
        for done, (name, recount) in enumerate(sources.items(), start=1):
            expected.update(expand(recount(None)))
            progress(name, done, len(sources))
        return +expected  # drops zeros
    with ThreadPoolExecutor(max_workers=min(len(sources), os.cpu_count() or 1)) as pool:
        futures = {pool.submit(_recount_on_own_connection, recount): name for name, recount in sources.items()}
        for done, future in enumerate(as_completed(futures), start=1):
            expected.update(future.result())
            progress(futures[future], done, len(sources))
    return +expected


def _recount_on_own_connection(recount) -> Counter[Key]:
    try:
        return expand(recount(None))
    finally:
        connection.close()  # this thread's own connection (Django keeps one per thread)


def _parallel_reads_consistent() -> bool:
    """Whether threads reading on their own connections see exactly what this transaction sees: on a
    SQLite file, inside a transaction this connection opened with BEGIN IMMEDIATE (no one else can
    commit until it ends; WAL readers see the last commit). Not on PostgreSQL (each connection its
    own snapshot), not on an in-memory database, not inside an outer transaction (a test's, whose
    writes other connections cannot see)."""
    return connection.vendor == "sqlite" and not connection.is_in_memory_db() and not connection.in_atomic_block


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
    # A full recount reads tens of millions of rows: on SQLite the sources are read side by side, on
    # as many cores as there are, since the SQLite module lets go of Python's lock while it reads.
    parallel = _parallel_reads_consistent()
    with transaction.atomic():
        # Counted inside the transaction, so no write can slip between the count and the swap. On
        # SQLite the transaction holds the write lock. On PostgreSQL the table lock waits for the
        # writers that have already added deltas (their facts are committed before the count reads
        # them) and holds off the others until the swap is committed (their deltas then add to it).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE indicators_tally IN SHARE ROW EXCLUSIVE MODE")
        expected = tallies_expected(progress, parallel=parallel)
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
