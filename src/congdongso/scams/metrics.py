"""What the scam shield counts, by unit: reports received per month, and alert reach (records and
households told) per month and per alert."""

from collections.abc import Iterator, Sequence

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from congdongso.indicators.periods import STATE
from congdongso.indicators.registry import Row
from congdongso.indicators.writer import add, under_any
from congdongso.scams.models import Reach, ReachKind, Report

REPORTS = "scams.reports"
REACH = "scams.reach"
REACH_HOUSEHOLDS = "scams.reach.households"
REACH_SHARES = "scams.reach.shares"


def alert_reach_metric(alert_id: int) -> str:
    return f"alert.{alert_id}.reach"


def alert_households_metric(alert_id: int) -> str:
    return f"alert.{alert_id}.households"


def alert_shares_metric(alert_id: int) -> str:
    return f"alert.{alert_id}.shares"


def _local_month(field: str) -> TruncMonth:
    return TruncMonth(field, tzinfo=timezone.get_current_timezone())


def _report_rows(reports: Q) -> Iterator[Row]:
    grouped = (
        Report.objects.filter(reports, unit__isnull=False)
        .annotate(month=_local_month("created_at"))
        .values_list("unit_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, month, n in grouped:
        yield (unit_id, month.strftime("%Y-%m"), REPORTS, n)


def _reach_rows(reach: Q) -> Iterator[Row]:
    selected = Reach.objects.filter(reach)
    monthly = (
        selected.annotate(month=_local_month("recorded_at"))
        .values_list("unit_id", "month")
        .annotate(n=Count("pk"), households=Sum("households"), shares=_shares())
        .order_by()
    )
    for unit_id, month, n, households, shares in monthly:
        yield (unit_id, month.strftime("%Y-%m"), REACH, n)
        yield (unit_id, month.strftime("%Y-%m"), REACH_HOUSEHOLDS, households or 0)
        yield (unit_id, month.strftime("%Y-%m"), REACH_SHARES, shares)
    by_alert = (
        selected.values_list("unit_id", "alert_id")
        .annotate(n=Count("pk"), households=Sum("households"), shares=_shares())
        .order_by()
    )
    for unit_id, alert_id, n, households, shares in by_alert:
        yield (unit_id, STATE, alert_reach_metric(alert_id), n)
        yield (unit_id, STATE, alert_households_metric(alert_id), households or 0)
        yield (unit_id, STATE, alert_shares_metric(alert_id), shares)


def _shares() -> Count:
    return Count("pk", filter=Q(kind=ReachKind.SHARED_GROUP))


def recount(prefixes: Sequence[str] | None) -> Iterator[Row]:
    yield from _report_rows(under_any(prefixes, "unit__path"))
    yield from _reach_rows(under_any(prefixes, "unit__path"))


def report_counted(report_id: int) -> None:
    add(_report_rows(Q(pk=report_id)))


def reach_counted(reach_id: int) -> None:
    add(_reach_rows(Q(pk=reach_id)))
