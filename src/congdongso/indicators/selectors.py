"""Reading indicators: from tallies only, never from raw facts.

A dashboard of a unit costs a handful of indexed queries whatever the unit's size: the unit's own
tallies, its children's tallies, the indicators and the targets.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from congdongso.geo.models import Level, Unit
from congdongso.indicators.models import Indicator, Kind, Tally, Target
from congdongso.indicators.periods import STATE, months_back

OVERDUE = "followups.overdue"
"""Not a stored metric: the open follow-ups of the days before today (rows of `followups.due`)."""
DUE = "followups.due"
SERIES_MONTHS = 12

Values = dict[str, int]
"""metric -> value for one unit and one period (current state metrics and the period's flows)."""


def indicators() -> list[Indicator]:
    return list(Indicator.objects.all())


def current_month(today: dt.date | None = None) -> str:
    return (today or timezone.localdate()).strftime("%Y-%m")


def quarter_months(year: int, quarter: int) -> list[str]:
    return [f"{year:04d}-{month:02d}" for month in range(3 * quarter - 2, 3 * quarter + 1)]


def unit_values(
    unit_ids: Sequence[int], *, months: Sequence[str], metrics: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> dict[int, Values]:
    """Per unit: current-state metrics, plus monthly metrics summed over `months`, plus the overdue
    follow-ups as of `today`. One query per 900 units."""
    today = today or timezone.localdate()
    wanted = set(metrics) if metrics is not None else None
    result: dict[int, Values] = {pk: defaultdict(int) for pk in unit_ids}
    ids = list(unit_ids)
    # Exact keys (unit IN …, period IN …, metric IN …) so the (unit, period, metric) index is probed,
    # not every row of the units scanned; overdue follow-ups are a range over their own metric.
    # Plain SQL: the ORM's query building costs more than these indexed reads themselves.
    periods = [STATE, *months]
    stored = None if wanted is None else sorted(wanted - {OVERDUE})
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            sql = (
                f"SELECT unit_id, metric, value FROM indicators_tally WHERE unit_id IN ({_marks(chunk)}) "
                f"AND period IN ({_marks(periods)})"
            )
            params = [*chunk, *periods]
            if stored is not None:
                sql += f" AND metric IN ({_marks(stored)})"
                params += stored
            cursor.execute(sql, params)
            for unit_id, metric, value in cursor.fetchall():
                result[unit_id][metric] += value
            if wanted is None or OVERDUE in wanted:
                cursor.execute(
                    f"SELECT unit_id, SUM(value) FROM indicators_tally WHERE unit_id IN ({_marks(chunk)}) "
                    "AND metric = %s AND period < %s GROUP BY unit_id",
                    [*chunk, DUE, today.isoformat()],
                )
                for unit_id, n in cursor.fetchall():
                    result[unit_id][OVERDUE] += n
    return result


def _marks(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values)) or "NULL"


def value_of(indicator: Indicator, values: Values) -> float | int | None:
    """An indicator's value from a unit's metric values; a ratio is a percentage (None: 0 of 0)."""
    numerator = values.get(indicator.numerator, 0)
    if indicator.kind == Kind.COUNT:
        return numerator
    denominator = values.get(indicator.denominator, 0)
    return round(100 * numerator / denominator, 1) if denominator else None


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    reached: bool
    # "good" (reached), "warn" (at least 80% of the way), "bad": the card's colour.
    level: str


def status_of(value: float | int | None, target: Target | None) -> TargetStatus | None:
    if target is None:
        return None
    goal = float(target.value)
    current = float(value or 0)
    if current >= goal:
        return TargetStatus(target, True, "good")
    return TargetStatus(target, False, "warn" if goal and current >= 0.8 * goal else "bad")


def targets_for(unit: Unit, today: dt.date | None = None) -> dict[int, Target]:
    """Per indicator id, the target that applies to a unit: its own, else its nearest ancestor's;
    among one unit's targets, the next one due (or the last one, once all are past)."""
    today = today or timezone.localdate()
    ancestors = unit.ancestor_ids  # province first, the unit last
    rank = {pk: depth for depth, pk in enumerate(ancestors)}
    chosen: dict[int, Target] = {}
    for target in Target.objects.filter(unit_id__in=ancestors).select_related("indicator"):
        current = chosen.get(target.indicator_id)
        if current is None or _better(target, current, rank, today):
            chosen[target.indicator_id] = target
    return chosen


def _better(candidate: Target, current: Target, rank: dict[int, int], today: dt.date) -> bool:
    if rank[candidate.unit_id] != rank[current.unit_id]:
        return rank[candidate.unit_id] > rank[current.unit_id]

    def key(target: Target) -> tuple:
        upcoming = target.due_on >= today
        return (upcoming, -target.due_on.toordinal() if upcoming else target.due_on.toordinal())

    return key(candidate) > key(current)


@dataclass
class Card:
    indicator: Indicator
    value: float | int | None
    status: TargetStatus | None


@dataclass
class Series:
    indicator: Indicator
    months: list[str]
    values: list[float | int | None]


@dataclass(frozen=True)
class ChildUnit:
    pk: int
    name: str


@dataclass
class ChildRow:
    unit: ChildUnit
    values: dict[str, float | int | None]  # indicator code -> value
    behind: list[str] = field(default_factory=list)  # codes of indicators below the target


@dataclass
class Dashboard:
    unit: Unit
    month: str
    cards: list[Card]
    others: list[Card]
    series: list[Series]
    columns: list[Indicator]
    children: list[ChildRow]
    services: list[tuple[str, int, int]]  # (service code, using independently, assists done this month)


CHILD_COLUMNS = ("coverage", "teams", "members", "households", "nucleus-rate", "proficient-rate", "vneid-rate",
                 "assists")


def dashboard(unit: Unit, *, today: dt.date | None = None, sort: str = "", descending: bool = False) -> Dashboard:
    """Everything a unit's dashboard shows. The caller has checked that the unit is in scope."""
    today = today or timezone.localdate()
    month = current_month(today)
    months = months_back(month, SERIES_MONTHS)
    all_indicators = indicators()
    targets = targets_for(unit, today)
    own = _unit_tallies(unit.pk, months, today)
    now_values = _period_values(own, month)
    cards = [Card(ind, value_of(ind, now_values), status_of(value_of(ind, now_values), targets.get(ind.pk)))
             for ind in all_indicators]
    series = [
        Series(ind, months, [value_of(ind, _period_values(own, m)) for m in months])
        for ind in all_indicators if ind.monthly and ind.headline
    ]
    columns = [ind for code in CHILD_COLUMNS for ind in all_indicators if ind.code == code]
    children = child_rows(unit, columns, month=month, today=today, targets=targets)
    by_code = {ind.code: ind for ind in columns}
    if sort in by_code:
        present = [row for row in children if row.values[sort] is not None]
        missing = [row for row in children if row.values[sort] is None]
        present.sort(key=lambda row: row.values[sort], reverse=descending)
        children = present + missing
    return Dashboard(
        unit=unit, month=month,
        cards=[c for c in cards if c.indicator.headline], others=[c for c in cards if not c.indicator.headline],
        series=series, columns=columns, children=children, services=_services(own, month),
    )


def _unit_tallies(unit_id: int, months: list[str], today: dt.date) -> dict[str, Values]:
    """period -> metric -> value for one unit: state rows under "", monthly ones under their month."""
    by_period: dict[str, Values] = defaultdict(lambda: defaultdict(int))
    periods = [STATE, *months]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT period, metric, value FROM indicators_tally WHERE unit_id = %s AND period IN ({_marks(periods)})",
            [unit_id, *periods],
        )
        for period, metric, value in cursor.fetchall():
            by_period[period][metric] += value
        cursor.execute(
            "SELECT SUM(value) FROM indicators_tally WHERE unit_id = %s AND metric = %s AND period < %s",
            [unit_id, DUE, today.isoformat()],
        )
        by_period[STATE][OVERDUE] = cursor.fetchone()[0] or 0
    return by_period


def _period_values(by_period: dict[str, Values], month: str) -> Values:
    values: Values = defaultdict(int, by_period.get(STATE, {}))
    for metric, value in by_period.get(month, {}).items():
        values[metric] += value
    return values


def _services(by_period: dict[str, Values], month: str) -> list[tuple[str, int, int]]:
    state, flows = by_period.get(STATE, {}), by_period.get(month, {})
    codes = {m.removeprefix("adoption.independent.") for m in state if m.startswith("adoption.independent.")}
    codes |= {m.removeprefix("assists.service.") for m in flows if m.startswith("assists.service.")}
    rows = [(code, state.get(f"adoption.independent.{code}", 0), flows.get(f"assists.service.{code}", 0))
            for code in codes]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def child_rows(
    unit: Unit, columns: list[Indicator], *, month: str, today: dt.date, targets: dict[int, Target]
) -> list[ChildRow]:
    children = [
        ChildUnit(pk, name) for pk, name in Unit.objects.current().filter(parent=unit).order_by("name").values_list("pk", "name")
    ]
    metrics = {m for ind in columns for m in ind.metrics}
    values = unit_values([c.pk for c in children], months=[month], metrics=metrics, today=today)
    targeted = [(ind.code, float(targets[ind.pk].value)) for ind in columns if ind.pk in targets]
    rows = []
    for child in children:
        by_code = {ind.code: value_of(ind, values[child.pk]) for ind in columns}
        behind = [code for code, goal in targeted if float(by_code[code] or 0) < goal]
        rows.append(ChildRow(child, by_code, behind))
    return rows


def villages_without_team(unit: Unit) -> QuerySet[Unit]:
    """Current villages under a unit that no active team covers (read off the coverage tallies)."""
    covered = Tally.objects.filter(unit_id=OuterRef("pk"), period=STATE, metric="villages.with_team", value__gt=0)
    return (
        Unit.objects.current().filter(path__prefix=unit.path, level=Level.VILLAGE)
        .exclude(Exists(covered)).select_related("parent").order_by("parent__name", "name")
    )


def metric_total(unit: Unit, metric: str, periods: Sequence[str] = (STATE,)) -> int:
    return Tally.objects.filter(unit=unit, metric=metric, period__in=list(periods)).aggregate(n=Sum("value"))["n"] or 0


def target_value_display(value: Decimal, indicator: Indicator) -> str:
    return f"{value.normalize():f}%" if indicator.kind == Kind.RATIO else f"{int(value)}"

