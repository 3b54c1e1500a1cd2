"""What feedback counts: reports received per month and reports still open, at the place named."""

from collections.abc import Iterable, Iterator, Sequence

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from congdongso.feedback.models import OPEN_STATUSES, Report
from congdongso.indicators.periods import STATE
from congdongso.indicators.registry import Row
from congdongso.indicators.writer import add, tracked, under_any

RECEIVED = "feedback.received"
OPEN = "feedback.open"


def _rows(reports: Q) -> Iterator[Row]:
    selected = Report.objects.filter(reports)
    received = (
        selected.annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("unit_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, month, n in received:
        yield (unit_id, month.strftime("%Y-%m"), RECEIVED, n)
    still_open = selected.filter(status__in=OPEN_STATUSES).values_list("unit_id").annotate(n=Count("pk")).order_by()
    for unit_id, n in still_open:
        yield (unit_id, STATE, OPEN, n)


def recount(prefixes: Sequence[str] | None) -> Iterator[Row]:
    return _rows(under_any(prefixes, "unit__path"))


def recount_reports(ids: list[int]) -> Iterator[Row]:
    return _rows(Q(pk__in=ids))


def reports_counted(ids: list[int]) -> None:
    add(recount_reports(ids))


def reports_tracked(ids: Iterable[int]):
    return tracked("feedback", ids, recount_reports)
