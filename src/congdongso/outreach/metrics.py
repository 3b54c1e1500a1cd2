"""What outreach counts: assists per month (by outcome, and done ones by service), assists tagged to
a campaign, and open follow-ups (also by the day they fall due: overdue = due before today)."""

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from django.db import connection
from django.db.models import Count

from congdongso.geo.models import Unit
from congdongso.indicators.periods import STATE, day_of
from congdongso.indicators.registry import Row
from congdongso.indicators.writer import add, tracked, under_any
from congdongso.outreach.models import Assist, FollowUp, FollowUpStatus, Outcome

ASSISTS = "assists"
FOLLOW_UPS_OPEN = "followups.open"
FOLLOW_UPS_DUE = "followups.due"
"""Open follow-ups again, by the day they fall due: overdue = the rows of days before today."""


def outcome_metric(outcome: str) -> str:
    return f"assists.outcome.{outcome}"


def service_metric(code: str) -> str:
    """Assists done for a service, per month."""
    return f"assists.service.{code}"


def campaign_metric(campaign_id: int) -> str:
    return f"campaign.{campaign_id}.assists"


def campaign_service_metric(campaign_id: int, code: str) -> str:
    return f"campaign.{campaign_id}.service.{code}"


def assist_rows(assists: Iterable[Assist]) -> Iterator[Row]:
    """The counts one new assist adds (assists are append-only: they are only ever added)."""
    for a in assists:
        yield (a.village_id, a.month, ASSISTS, 1)
        yield (a.village_id, a.month, outcome_metric(a.outcome), 1)
        done = a.outcome == Outcome.DONE
        if done:
            for code in a.services:
                yield (a.village_id, a.month, service_metric(code), 1)
        if a.campaign_id:
            yield (a.village_id, STATE, campaign_metric(a.campaign_id), 1)
            if done:
                for code in a.services:
                    yield (a.village_id, STATE, campaign_service_metric(a.campaign_id, code), 1)


def assists_counted(assists: Iterable[Assist]) -> None:
    add(assist_rows(assists))


def _village_filter(prefixes: Sequence[str] | None) -> tuple[str, list]:
    if prefixes is None:
        return "", []
    ids = list(Unit.objects.filter(under_any(prefixes)).values_list("pk", flat=True))
    if not ids:
        return " WHERE 1 = 0", []
    return " WHERE village_id IN (" + ", ".join(["%s"] * len(ids)) + ")", ids


class _Grouped:
    """Stands in for an Assist in `assist_rows`: one group of identical assists, counted once."""

    __slots__ = ("village_id", "month", "outcome", "services", "campaign_id")

    def __init__(self, village_id: int, month: str, outcome: str, services: list[str], campaign_id: int | None):
        self.village_id, self.month, self.outcome = village_id, month, outcome
        self.services, self.campaign_id = services, campaign_id


def _assist_rows_sql(prefixes: Sequence[str] | None) -> Iterator[Row]:
    """One scan of the assists: group identical (village, month, outcome, services, campaign), and
    count each group with `assist_rows` (the incremental path's own arithmetic), times its size.

    A full recount reads millions of groups: `assist_rows` runs once per distinct (outcome, services,
    campaign) to make a template of the metrics it adds, which each group then adds into one leaf
    count, so the writer expands a few hundred thousand rows instead of one per group and metric."""
    where, params = _village_filter(prefixes)
    # The planner walks the (village, ...) index and fetches every row through it; for a full
    # recount a plain table scan and sort takes about two thirds of the time on SQLite.
    table = "outreach_assist NOT INDEXED" if prefixes is None and connection.vendor == "sqlite" else "outreach_assist"
    sql = (
        f"SELECT village_id, month, outcome, services, campaign_id, COUNT(*) FROM {table}"
        f"{where} GROUP BY village_id, month, outcome, services, campaign_id"
    )
    templates: dict[tuple, list[tuple[bool, str, int]]] = {}
    leaf: Counter[tuple[int, str, str]] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for village_id, month, outcome, services, campaign_id, n in cursor.fetchall():
            key = (outcome, services if isinstance(services, str) else json.dumps(services), campaign_id)
            template = templates.get(key)
            if template is None:
                template = templates[key] = _template(outcome, _codes(services, {}), campaign_id)
            for monthly, metric, value in template:
                leaf[(village_id, month if monthly else STATE, metric)] += value * n
    for (unit_id, period, metric), value in leaf.items():
        yield (unit_id, period, metric, value)


_MONTH = object()


def _template(outcome: str, codes: list[str], campaign_id: int | None) -> list[tuple[bool, str, int]]:
    """What one assist with this outcome, services and campaign adds: (per month?, metric, value)."""
    rows = assist_rows([_Grouped(0, _MONTH, outcome, codes, campaign_id)])  # type: ignore[arg-type]
    return [(period is _MONTH, metric, value) for _unit, period, metric, value in rows]


def _codes(services, parsed: dict) -> list[str]:
    """A JSON list of codes as the driver returns it: text on SQLite, already a list on PostgreSQL."""
    if isinstance(services, list):
        return services
    if services not in parsed:
        parsed[services] = json.loads(services)
    return parsed[services]


def _follow_up_rows(follow_ups) -> Iterator[Row]:
    grouped = (
        follow_ups.filter(status=FollowUpStatus.OPEN).values_list("village_id", "due_on").annotate(n=Count("pk")).order_by()
    )
    for village_id, due_on, n in grouped:
        yield (village_id, STATE, FOLLOW_UPS_OPEN, n)
        yield (village_id, day_of(due_on), FOLLOW_UPS_DUE, n)


def recount(prefixes: Sequence[str] | None) -> Iterator[Row]:
    yield from _assist_rows_sql(prefixes)
    yield from _follow_up_rows(FollowUp.objects.filter(under_any(prefixes, "village__path")))


def recount_follow_ups(ids: list[int]) -> Iterator[Row]:
    return _follow_up_rows(FollowUp.objects.filter(pk__in=ids))


def follow_ups_counted(ids: list[int]) -> None:
    """Count follow-ups that did not exist before."""
    add(recount_follow_ups(ids))


def follow_ups_tracked(ids: Iterable[int]):
    return tracked("follow_up", ids, recount_follow_ups)
