"""Reads of feedback reports: the officers' inbox (their communes), what members were given, the
public status by code, and the places a resident can choose."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.accounts.models import User
from congdongso.accounts.selectors import scope_of
from congdongso.feedback.codes import normalise_code
from congdongso.feedback.models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Change,
    Delivery,
    Report,
    ReportHistory,
    ReportNote,
    Status,
)
from congdongso.geo.models import Level, Unit
from congdongso.geo.naming import village_search_name
from congdongso.geo.selectors import units_matching
from congdongso.households.models import Household
from congdongso.teams.models import Membership, Team

PLACE_LIMIT = 20
PLACE_QUERY_MAX = 100
HOUSEHOLD_CHOICES_MAX = 500


def _managed_q(user: User) -> Q:
    scope = scope_of(user)
    if scope.everything:
        return Q()
    if not scope.manager_paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(commune__path__prefix=path) for path in scope.manager_paths))


def _assigned_q(user: User) -> Q:
    teams = Membership.objects.filter(user=user, left_on__isnull=True).values("team_id")
    return Q(assigned_user=user) | Q(assigned_team_id__in=teams)


def reports_visible(user: User) -> QuerySet[Report]:
    """Reports of the communes a user manages, and those given to the user or to their teams."""
    if not user.is_authenticated or not user.is_active:
        return Report.objects.none()
    return Report.objects.filter(_managed_q(user) | _assigned_q(user)).select_related(
        "unit", "commune", "assigned_team", "assigned_user"
    )


def report_in_scope_or_404(user: User, report_id: int) -> Report:
    try:
        return reports_visible(user).select_related("unit__parent", "household", "follow_up").get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage(user: User, report: Report) -> bool:
    return scope_of(user).manages(report.commune)


def is_assignee(user: User, report: Report) -> bool:
    if report.assigned_user_id == user.pk:
        return True
    return report.assigned_team_id is not None and Membership.objects.filter(
        user=user, team_id=report.assigned_team_id, left_on__isnull=True
    ).exists()


@dataclass(frozen=True)
class InboxFilter:
    status: str = "open"  # "open", "all" or one status
    category: str = ""
    overdue: bool = False
    code: str = ""


def inbox(user: User, filters: InboxFilter) -> QuerySet[Report]:
    reports = reports_visible(user)
    if filters.status == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif filters.status in Status.values:
        reports = reports.filter(status=filters.status)
    if filters.category:
        reports = reports.filter(category=filters.category)
    if filters.overdue:
        reports = reports.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    if filters.code:
        code = normalise_code(filters.code)
        reports = reports.filter(code=code) if code else reports.none()
    stage = Case(
        When(status__in=OPEN_STATUSES, then=Value(0)),
        When(status=Status.RESOLVED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return reports.annotate(stage=stage).order_by("stage", "due_on", "id")


def open_count(user: User) -> int:
    return reports_visible(user).filter(status__in=OPEN_STATUSES).count()


def assignment_choices(report: Report) -> list[tuple[str, str]]:
    """("team:<id>", name) for the commune's active teams, ("member:<membership id>", name) for their
    members with an account."""
    teams = list(
        Team.objects.filter(unit__path__prefix=report.commune.path, is_active=True)
        .select_related("unit")
        .order_by("unit__depth", "unit__name", "name")
    )
    members = (
        Membership.objects.filter(team__in=teams, left_on__isnull=True, user__isnull=False, user__is_active=True)
        .select_related("team")
        .order_by("team__name", "display_name")
    )
    choices = [(f"team:{team.pk}", team.name) for team in teams]
    choices += [(f"member:{m.pk}", f"{m.display_name} — {m.team.name}") for m in members]
    return choices


def resolve_assignee(report: Report, value: str) -> tuple[Team | None, User | None]:
    """The team and user a choice value names, within the report's commune; ValueError otherwise."""
    kind, _sep, raw_id = (value or "").partition(":")
    if not raw_id.isdigit():
        raise ValueError(value)
    if kind == "team":
        team = Team.objects.filter(
            pk=int(raw_id), unit__path__prefix=report.commune.path, is_active=True
        ).select_related("unit").first()
        if team is None:
            raise ValueError(value)
        return team, None
    if kind == "member":
        membership = (
            Membership.objects.filter(
                pk=int(raw_id), left_on__isnull=True, user__isnull=False,
                team__unit__path__prefix=report.commune.path, team__is_active=True,
            )
            .select_related("team", "team__unit", "user")
            .first()
        )
        if membership is None:
            raise ValueError(value)
        return membership.team, membership.user
    raise ValueError(value)


def household_choices(user: User, report: Report) -> list[tuple[str, str]]:
    """Households of the report's place within the user's scope, named when they consented to give
    a name (a village member handling a commune-wide report sees only their village's)."""
    households = (
        Household.objects.filter(scope_of(user).q("village"), village__path__prefix=report.unit.path)
        .select_related("village")
        .order_by("village__name", "search_name", "id")[:HOUSEHOLD_CHOICES_MAX]
    )
    choices = []
    for household in households:
        label = household.head_name or _("Hộ …%(code)s (chưa có tên)") % {"code": str(household.pk)[-6:]}
        if household.address_line:
            label += f" — {household.address_line}"
        if report.unit.level != Level.VILLAGE:
            label += f" ({household.village.name})"
        choices.append((str(household.pk), label))
    return choices


def notes_of(report: Report, *, public_only: bool = False) -> QuerySet[ReportNote]:
    notes = report.notes.select_related("author")
    return notes.filter(is_public=True) if public_only else notes


def history_of(report: Report) -> QuerySet[ReportHistory]:
    return report.history.select_related("actor")


def deliveries_of(report: Report) -> QuerySet[Delivery]:
    return report.deliveries.order_by("-created_at", "-id")


# --- public ---------------------------------------------------------------------------------------


def report_by_code(raw_code: str) -> Report | None:
    code = normalise_code(raw_code)
    if code is None:
        return None
    return Report.objects.select_related("unit", "commune").filter(code=code).first()


@dataclass(frozen=True)
class PublicEvent:
    at: object
    label: str
    text: str = ""


def public_timeline(report: Report) -> list[PublicEvent]:
    """What the sender may see: when the report was received, each status change, public updates.
    No names of officers, no internal notes, no contact."""
    events = [
        PublicEvent(row.at, str(Status(row.to_status).label))
        for row in report.history.filter(change__in=[Change.CREATED, Change.STATUS]).exclude(to_status="")
    ]
    events += [PublicEvent(note.created_at, "", note.text) for note in report.notes.filter(is_public=True)]
    return sorted(events, key=lambda event: event.at)


def is_overdue(report: Report) -> bool:
    return report.status in OPEN_STATUSES and report.due_on < timezone.localdate()


def is_final(report: Report) -> bool:
    return report.status in FINAL_STATUSES


def places_matching(query: str, *, limit: int = PLACE_LIMIT) -> list[Unit]:
    """Communes and villages whose name contains the query, diacritics ignored ("dong" finds "Thôn
    Đông"). "thon dong, an binh" narrows to places under a unit named like "an binh"."""
    query = (query or "").replace("\x00", "")[:PLACE_QUERY_MAX]
    name, _sep, parent = query.partition(",")
    within = Unit.objects.select_related("parent__parent")
    parent_key = village_search_name(parent)
    if parent_key:
        within = within.filter(parent__search_name__contains=parent_key)
    return units_matching(name, within=within, levels=(Level.COMMUNE, Level.VILLAGE), limit=limit)


def place_label(unit: Unit) -> str:
    """"Thôn Đông, Xã An Bình, Tỉnh Thử" — enough to tell places of the same name apart."""
    parts = [unit.name]
    parent = unit.parent
    while parent is not None and len(parts) < 3:
        parts.append(parent.name)
        parent = parent.parent if parent.level != Level.PROVINCE else None
    return ", ".join(parts)


def place_by_id(raw_id: object) -> Unit | None:
    try:
        unit_id = int(str(raw_id))
    except (TypeError, ValueError):
        return None
    if not 0 < unit_id < 2**63:
        return None
    return (
        Unit.objects.current()
        .filter(pk=unit_id, level__in=(Level.COMMUNE, Level.VILLAGE))
        .select_related("parent", "parent__parent")
        .first()
    )


def place_rows(query: str, chosen: str = "") -> list[tuple[int, str]]:
    """(id, label) of the places matching what a resident typed, the one they already picked first."""
    units = places_matching(query) if query.strip() else []
    rows = [(unit.pk, place_label(unit)) for unit in units]
    picked = place_by_id(chosen) if chosen else None
    if picked is not None and picked.pk not in {pk for pk, _label in rows}:
        rows.insert(0, (picked.pk, place_label(picked)))
    return rows
