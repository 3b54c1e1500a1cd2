"""Reads of teams within a user's scope, and coverage figures for a unit."""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When

from congdongso.accounts.models import Role, User
from congdongso.accounts.selectors import get_in_scope_or_404, scope_of
from congdongso.geo.models import Level, Unit
from congdongso.teams.models import Affiliation, Membership, Team, Training

ACTIVE_MEMBERS = Q(memberships__left_on__isnull=True)


def teams_visible(user: User) -> QuerySet[Team]:
    return (
        Team.objects.filter(scope_of(user).q("unit"))
        .select_related("unit", "unit__parent")
        .annotate(member_count=Count("memberships", filter=ACTIVE_MEMBERS))
    )


def teams_in_unit(user: User, unit: Unit) -> QuerySet[Team]:
    return teams_visible(user).filter(unit__path__prefix=unit.path).order_by("unit__name", "name")


def team_in_scope_or_404(user: User, team_id: int) -> Team:
    return get_in_scope_or_404(
        Team.objects.select_related("unit", "unit__parent"), user, unit_field="unit", pk=team_id
    )


def membership_in_scope_or_404(user: User, membership_id: int) -> Membership:
    return get_in_scope_or_404(
        Membership.objects.select_related("team", "team__unit"), user, unit_field="team__unit", pk=membership_id
    )


def training_in_scope_or_404(user: User, training_id: int) -> Training:
    return get_in_scope_or_404(Training.objects.select_related("unit"), user, unit_field="unit", pk=training_id)


def active_memberships(team: Team) -> QuerySet[Membership]:
    return team.memberships.filter(left_on__isnull=True).select_related("user").order_by("role", "display_name")


def active_memberships_under(unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(team__unit__path__prefix=unit.path, left_on__isnull=True)
        .select_related("team")
        .order_by("team__name", "display_name")
    )


@dataclass(frozen=True)
class Coverage:
    villages: int
    villages_with_team: int
    teams: int
    active_teams: int
    members: int
    members_by_affiliation: dict[str, int]

    @property
    def percent(self) -> float | None:
        """Villages with an active team, as a share of all villages; None when there are none."""
        return round(100 * self.villages_with_team / self.villages, 1) if self.villages else None

    @property
    def affiliation_rows(self) -> list[tuple[str, int]]:
        return [(Affiliation(value).label, count) for value, count in self.members_by_affiliation.items()]

    @property
    def members_per_team(self) -> float | None:
        return round(self.members / self.active_teams, 1) if self.active_teams else None


def coverage(unit: Unit) -> Coverage:
    """Coverage of a unit's subtree: villages with an active team / all villages, and members."""
    villages = Unit.objects.current().filter(level=Level.VILLAGE, path__prefix=unit.path)
    active_team_here = Team.objects.filter(unit=OuterRef("pk"), is_active=True)
    village_counts = villages.aggregate(
        total=Count("pk"), with_team=Count("pk", filter=Exists(active_team_here))
    )
    teams = Team.objects.filter(unit__path__prefix=unit.path)
    members = Membership.objects.filter(
        team__unit__path__prefix=unit.path, team__is_active=True, left_on__isnull=True
    )
    by_affiliation = dict(members.values_list("affiliation").annotate(n=Count("pk")).order_by())
    return Coverage(
        villages=village_counts["total"],
        villages_with_team=village_counts["with_team"],
        teams=teams.count(),
        active_teams=teams.filter(is_active=True).count(),
        members=members.count(),
        members_by_affiliation={value: by_affiliation.get(value, 0) for value in Affiliation.values},
    )


@dataclass(frozen=True)
class ChildCoverage:
    villages: int = 0
    villages_with_team: int = 0
    members: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.villages_with_team / self.villages, 1) if self.villages else None


def _child_of(unit: Unit, prefix: str = "") -> Case:
    """The child of `unit` that a row's unit falls under: itself when it is a direct child,
    otherwise its parent (the hierarchy below a unit is at most two levels deep)."""
    return Case(
        When(**{f"{prefix}parent_id": unit.pk}, then=F(f"{prefix}id")),
        default=F(f"{prefix}parent_id"),
    )


def child_coverage(unit: Unit) -> dict[int, ChildCoverage]:
    """Coverage of each direct child of a unit, in two grouped queries whatever the number of children."""
    active_team_here = Team.objects.filter(unit=OuterRef("pk"), is_active=True)
    village_rows = (
        Unit.objects.current()
        .filter(level=Level.VILLAGE, path__prefix=unit.path)
        .annotate(child=_child_of(unit))
        .values("child")
        .annotate(total=Count("pk"), with_team=Count("pk", filter=Exists(active_team_here)))
        .order_by()
    )
    member_rows = (
        Membership.objects.filter(team__unit__path__prefix=unit.path, team__is_active=True, left_on__isnull=True)
        .exclude(team__unit=unit)
        .annotate(child=_child_of(unit, "team__unit__"))
        .values("child")
        .annotate(n=Count("pk"))
        .order_by()
    )
    members = {row["child"]: row["n"] for row in member_rows}
    result = {
        row["child"]: ChildCoverage(row["total"], row["with_team"], members.pop(row["child"], 0))
        for row in village_rows
    }
    for child, count in members.items():
        result[child] = ChildCoverage(members=count)
    return result


def can_manage_team(user: User, team: Team) -> bool:
    """Officers manage every team in their scope; a team leader manages the teams in theirs."""
    scope = scope_of(user)
    return scope.manages(team.unit) or (Role.TEAM_LEADER in scope.roles and scope.contains(team.unit))
