"""The one way to change tallies. A leaf: imports no domain app.

Services report how counted facts changed, as rows `(unit_id, period, metric, delta)` at the unit
the fact hangs on. The writer adds each row into the unit and all its ancestors (read off the
materialised path at that moment: a "before" snapshot is expanded along the paths as they were), and
writes everything a service call produced with one upsert, in the caller's transaction:

    INSERT … ON CONFLICT (unit_id, period, metric) DO UPDATE SET value = value + excluded.value

`batch()` collects the deltas of nested service calls into that one upsert. `tracked()` takes a
recount of some facts before and after a change and adds the difference, so a service never has to
reason about which counts its change touched.
"""

import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

from congdongso.geo.models import Unit
from congdongso.indicators.registry import Row, recount_all

Key = tuple[int, str, str]
UPSERT_CHUNK = 500


class _State(threading.local):
    def __init__(self) -> None:
        self.depth = 0
        self.pending: Counter[Key] = Counter()
        # Facts whose change an outer `tracked()` already measures: an inner one must not count
        # them again. "*" means everything (a subtree recount around a unit merge).
        self.tracking: dict[str, set] = {}
        # Unit id -> id path, remembered for the outermost batch (a sync batch expands hundreds of
        # changes into the same few villages); forgotten whenever units move (subtrees_tracked).
        self.paths: dict[int, list[int]] | None = None


_state = _State()


def ancestors_of(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each unit's id path from the province down to itself, as the paths are now."""
    known = _state.paths if "*" not in _state.tracking else None  # units may be moving: ask each time
    wanted = set(unit_ids)
    found: dict[int, list[int]] = {pk: known[pk] for pk in wanted if pk in known} if known else {}
    ids = [pk for pk in wanted if pk not in found]
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for pk, path in Unit.objects.filter(pk__in=chunk).values_list("pk", "path"):
            found[pk] = [int(part) for part in path.strip("/").split("/")]
    if known is not None:
        known.update(found)
    return found


def expand(rows: Iterable[Row]) -> Counter[Key]:
    """Add each row into its unit and every ancestor."""
    leaf: Counter[Key] = Counter()
    for unit_id, period, metric, value in rows:
        if value:
            leaf[(unit_id, period, metric)] += value
    paths = ancestors_of(unit_id for unit_id, _, _ in leaf)
    total: Counter[Key] = Counter()
    for (unit_id, period, metric), value in leaf.items():
        for ancestor in paths.get(unit_id, (unit_id,)):
            total[(ancestor, period, metric)] += value
    return total


def add(rows: Iterable[Row]) -> None:
    """Count a change now (or at the end of the enclosing batch)."""
    _apply(expand(rows))


def _apply(deltas: Counter[Key]) -> None:
    if _state.depth:
        _state.pending.update(deltas)
    else:
        write(deltas)


@contextmanager
def batch() -> Iterator[None]:
    """Collect the deltas of everything inside into one upsert, written when the outermost batch
    ends (inside the caller's transaction). On an error the deltas are dropped with the rollback."""
    if not _state.depth:
        _state.paths = {}
    _state.depth += 1
    try:
        yield
    except BaseException:
        _state.depth -= 1
        if not _state.depth:
            _state.pending.clear()
            _state.paths = None
        raise
    _state.depth -= 1
    if not _state.depth:
        _state.paths = None
        pending, _state.pending = _state.pending, Counter()
        write(pending)


@contextmanager
def tracked(kind: str, ids: Iterable[Hashable], recount: Callable[[list], Iterable[Row]]) -> Iterator[None]:
    """Recount the facts `ids` of one kind before and after the block and count the difference.

    Ids already measured by an enclosing `tracked()` of the same kind are left to it."""
    if "*" in _state.tracking:
        yield
        return
    busy = _state.tracking.setdefault(kind, set())
    mine = [pk for pk in dict.fromkeys(ids) if pk not in busy]
    if not mine:
        yield
        return
    busy.update(mine)
    try:
        before = expand(recount(mine))
        with batch():
            yield
            after = expand(recount(mine))
            after.subtract(before)
            _apply(after)
    finally:
        busy.difference_update(mine)


@contextmanager
def subtrees_tracked(prefixes: list[str]) -> Iterator[None]:
    """Recount every metric under the given unit paths before and after the block (a merge or a
    split: facts change units and units change parents). The list may grow inside the block."""
    if "*" in _state.tracking:
        yield
        return
    _state.tracking["*"] = set()
    try:
        before = expand(recount_all(list(prefixes)))
        with batch():
            yield
            after = expand(recount_all(list(prefixes)))
            after.subtract(before)
            _apply(after)
    finally:
        del _state.tracking["*"]
        if _state.paths is not None:
            _state.paths.clear()  # units moved: what the batch remembered is out of date


def write(deltas: Counter[Key]) -> None:
    """Upsert the non-zero deltas; drop rows that fall to zero so the table holds no empty counts."""
    rows = [(unit_id, period, metric, value) for (unit_id, period, metric), value in deltas.items() if value]
    if not rows:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start : start + UPSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                "INSERT INTO indicators_tally (unit_id, period, metric, value) VALUES "
                + values
                + " ON CONFLICT (unit_id, period, metric) DO UPDATE SET value = indicators_tally.value + excluded.value",
                [item for row in chunk for item in row],
            )
        units = sorted({row[0] for row in rows})
        for start in range(0, len(units), 900):
            chunk_units = units[start : start + 900]
            cursor.execute(
                "DELETE FROM indicators_tally WHERE value = 0 AND unit_id IN (" + ", ".join(["%s"] * len(chunk_units)) + ")",
                chunk_units,
            )


def under_any(prefixes: Sequence[str] | None, field: str = "path"):
    """A Q for rows whose unit path (reached through `field`) starts with one of the prefixes."""
    from django.db.models import Q

    if prefixes is None:
        return Q()
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{field}__prefix": prefix})
    return q
