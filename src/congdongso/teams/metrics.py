"""What teams count: active teams, their active members, and villages that have an active team."""

from collections.abc import Iterable, Iterator, Sequence

from django.db.models import Count, Exists, OuterRef, Q

from congdongso.geo.models import Level, Unit
from congdongso.indicators.periods import STATE
from congdongso.indicators.registry import Row
from congdongso.indicators.writer import tracked, under_any
from congdongso.teams.models import Membership, Team

TEAMS = "teams.active"
MEMBERS = "members.active"
VILLAGES_WITH_TEAM = "villages.with_team"


def _rows(units: Q, team_units: Q) -> Iterator[Row]:
    teams = Team.objects.filter(team_units, is_active=True).values_list("unit_id").annotate(n=Count("pk")).order_by()
    for unit_id, n in teams:
        yield (unit_id, STATE, TEAMS, n)
    members = (
        Membership.objects.filter(team__in=Team.objects.filter(team_units, is_active=True), left_on__isnull=True)
        .values_list("team__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, n in members:
        yield (unit_id, STATE, MEMBERS, n)
    covered = Unit.objects.current().filter(units, level=Level.VILLAGE).filter(
        Exists(Team.objects.filter(unit=OuterRef("pk"), is_active=True))
    )
    for pk in covered.values_list("pk", flat=True):
        yield (pk, STATE, VILLAGES_WITH_TEAM, 1)


def recount(prefixes: Sequence[str] | None) -> Iterator[Row]:
    return _rows(under_any(prefixes), under_any(prefixes, "unit__path"))


def recount_units(unit_ids: list[int]) -> Iterator[Row]:
    return _rows(Q(pk__in=unit_ids), Q(unit_id__in=unit_ids))


def units_tracked(unit_ids: Iterable[int]):
    """Count what a change to the teams of these units does to the tallies."""
    return tracked("teams.unit", unit_ids, recount_units)
