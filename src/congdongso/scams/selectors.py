"""Reads of the scams app that depend on who asks: moderation, alerts for teams, reach per unit.

The public lookup and the message checker take no user (lookup.py, checker.py).
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Max, Q, QuerySet, Sum, When
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congdongso.accounts.models import Role, User
from congdongso.accounts.selectors import get_in_scope_or_404, scope_of, top_units
from congdongso.geo.models import Level, Unit
from congdongso.indicators.models import Tally
from congdongso.scams import metrics
from congdongso.scams.models import Alert, Entity, Reach, ReachKind, Report, ReportStatus, Tactic
from congdongso.teams.models import Team

MODERATOR_ROLES = (Role.PROVINCE_OFFICER, Role.NATIONAL_ADMIN)


# --- moderation ----------------------------------------------------------------------------------

def can_moderate(user: User) -> bool:
    """Province officers moderate the reports from their province; a national admin all of them."""
    return bool(scope_of(user).roles & set(MODERATOR_ROLES))


def can_maintain_tactics(user: User) -> bool:
    return can_moderate(user)


def reports_in_scope(user: User) -> QuerySet[Report]:
    """Reports from units in the user's scope (those with no known unit: a national admin's)."""
    return Report.objects.filter(scope_of(user).q("unit"))


def moderation_queue(user: User) -> QuerySet[Entity]:
    """Entities with pending reports in scope, most reported first."""
    pending = reports_in_scope(user).filter(status=ReportStatus.PENDING)
    return (
        Entity.objects.filter(pk__in=pending.values("entity_id"))
        .annotate(
            pending=Count("reports", filter=Q(reports__in=pending)),
            latest=Max("reports__created_at", filter=Q(reports__in=pending)),
        )
        .select_related("tactic")
        .order_by("-pending", "-latest", "pk")
    )


def entity_in_scope_or_404(user: User, entity_id: int) -> Entity:
    """An entity is national; a province officer sees one that has a report from their scope."""
    entities = Entity.objects.select_related("tactic", "merged_into")
    if not scope_of(user).everything:
        reported = reports_in_scope(user).values("entity_id")
        # A merged duplicate keeps no reports of its own: it is in scope through its target.
        entities = entities.filter(Q(pk__in=reported) | Q(merged_into__in=reported))
    try:
        return entities.get(pk=entity_id)
    except (Entity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def entity_reports(user: User, entity: Entity) -> QuerySet[Report]:
    return (
        reports_in_scope(user).filter(entity=entity)
        .select_related("unit", "tactic", "decided_by")
        .order_by(Case(When(status=ReportStatus.PENDING, then=0), default=1), "-created_at")
    )


def report_in_scope_or_404(user: User, report_id: int) -> Report:
    return get_in_scope_or_404(
        Report.objects.select_related("entity", "unit", "tactic", "decided_by"), user, unit_field="unit", pk=report_id
    )


def active_tactics() -> QuerySet[Tactic]:
    return Tactic.objects.filter(is_active=True).order_by("name")


# --- alerts --------------------------------------------------------------------------------------

def active_alerts_q() -> Q:
    today = timezone.localdate()
    return Q(withdrawn_at__isnull=True, valid_from__lte=today, valid_until__gte=today)


def _ids_on_path(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def alerts_for_unit(unit: Unit) -> QuerySet[Alert]:
    """Alerts in force from this unit or any unit above it."""
    return (
        Alert.objects.filter(active_alerts_q(), unit_id__in=_ids_on_path(unit.path))
        .select_related("unit", "tactic")
        .order_by("-valid_from", "-id")
    )


def alerts_for_team(team: Team) -> QuerySet[Alert]:
    return alerts_for_unit(team.unit)


def alerts_visible(user: User) -> QuerySet[Alert]:
    """Alerts published inside the user's scope, or above it (a province's alert reaches its villages)."""
    scope = scope_of(user)
    if scope.everything:
        visible = Alert.objects.all()
    else:
        above = {unit_id for path in scope.paths for unit_id in _ids_on_path(path)}
        visible = Alert.objects.filter(scope.q("unit") | Q(unit_id__in=above))
    return visible.select_related("unit", "tactic", "published_by")


def alert_in_scope_or_404(user: User, alert_id: int) -> Alert:
    try:
        return alerts_visible(user).get(pk=alert_id)
    except (Alert.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_publish_alert(user: User, unit: Unit) -> bool:
    return unit.level in (Level.PROVINCE, Level.COMMUNE) and unit.is_current and scope_of(user).manages(unit)


def publishing_units(user: User) -> QuerySet[Unit]:
    """Provinces and communes the user may publish alerts for."""
    scope = scope_of(user)
    units = Unit.objects.current().filter(level__in=(Level.PROVINCE, Level.COMMUNE))
    if Role.NATIONAL_ADMIN in scope.roles:
        return units.filter(level=Level.PROVINCE).order_by("name")
    if not scope.manager_paths:
        return units.none()
    # Only the units the officer is assigned to (a province officer publishes for the province).
    return units.filter(path__in=scope.manager_paths).order_by("depth", "name")


def my_teams(user: User) -> QuerySet[Team]:
    """Active teams the user belongs to, within their scope."""
    return (
        Team.objects.filter(scope_of(user).q("unit"))
        .filter(is_active=True, memberships__user=user, memberships__left_on__isnull=True)
        .select_related("unit")
        .distinct()
        .order_by("name")
    )


def team_for_reach_or_404(user: User, team_id: int) -> Team:
    return get_in_scope_or_404(Team.objects.select_related("unit"), user, unit_field="unit", pk=team_id, is_active=True)


def can_publish_anywhere(user: User) -> bool:
    return publishing_units(user).exists()


# --- reach ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReachCount:
    shares: int = 0
    households: int = 0
    records: int = 0


def _reach_from_tallies(unit_ids: list[int], *, alert_id: int | None = None) -> dict[int, ReachCount]:
    """Reach per unit read off the tallies (each unit's whole subtree): over all months, or for one
    alert. The dashboards never count Reach rows."""
    if alert_id is None:
        names = {metrics.REACH: "records", metrics.REACH_HOUSEHOLDS: "households", metrics.REACH_SHARES: "shares"}
        rows = Tally.objects.filter(unit_id__in=unit_ids, metric__in=list(names)).exclude(period="")
    else:
        names = {
            metrics.alert_reach_metric(alert_id): "records", metrics.alert_households_metric(alert_id): "households",
            metrics.alert_shares_metric(alert_id): "shares",
        }
        rows = Tally.objects.filter(unit_id__in=unit_ids, metric__in=list(names), period="")
    found: dict[int, dict[str, int]] = {pk: {} for pk in unit_ids}
    for unit_id, metric, value in rows.values_list("unit_id", "metric").annotate(n=Sum("value")).order_by():
        found[unit_id][names[metric]] = value
    return {pk: ReachCount(**counts) for pk, counts in found.items()}


def reach_in_unit(unit: Unit) -> ReachCount:
    """Reach recorded by teams anywhere under a unit."""
    return _reach_from_tallies([unit.pk])[unit.pk]


def reach_by_child(unit: Unit) -> dict[int, ReachCount]:
    """Reach per direct child of a unit (each child's subtree)."""
    children = list(unit.children.values_list("pk", flat=True))
    return {pk: count for pk, count in _reach_from_tallies(children).items() if count.records}


def reach_for_alert(alert: Alert, user: User) -> ReachCount:
    """An alert's reach within what the user may see: the sum over the outermost units of their scope."""
    units = [u.pk for u in top_units(user)]
    counts = _reach_from_tallies(units, alert_id=alert.pk).values()
    return ReachCount(
        shares=sum(c.shares for c in counts), households=sum(c.households for c in counts),
        records=sum(c.records for c in counts),
    )


def reach_of_team(alert_ids: list[int], team: Team) -> dict[int, ReachCount]:
    rows = (
        Reach.objects.filter(alert_id__in=alert_ids, team=team)
        .values("alert_id")
        .annotate(
            shares=Count("pk", filter=Q(kind=ReachKind.SHARED_GROUP)),
            households=Sum("households", default=0),
            records=Count("pk"),
        )
        .order_by()
    )
    return {row.pop("alert_id"): ReachCount(**row) for row in rows}


def zalo_text(alert: Alert, lookup_url: str = "") -> str:
    """The ready-to-paste message for a team's Zalo group: the alert, the tactic's advice and hotlines
    (data from the tactic list), its source and validity."""
    parts = [_("⚠️ CẢNH BÁO LỪA ĐẢO: %(title)s") % {"title": alert.title}, alert.message.strip()]
    if alert.tactic and alert.tactic.advice.strip():
        parts.append(alert.tactic.advice.strip())
    if alert.tactic and alert.tactic.hotlines.strip():
        parts.append(_("Cần báo ngay: %(hotlines)s") % {"hotlines": alert.tactic.hotlines.strip()})
    parts.append(
        _("— %(unit)s, hiệu lực đến %(date)s") % {"unit": alert.unit.name, "date": date_format(alert.valid_until, "d/m/Y")}
    )
    if lookup_url:
        parts.append(_("Tra cứu số điện thoại, trang web, tài khoản đáng ngờ: %(url)s") % {"url": lookup_url})
    return "\n\n".join(part for part in parts if part)
