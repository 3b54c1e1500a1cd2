"""Reading campaigns: which a user sees, which run in a village, and progress per unit from tallies.

Progress never counts assist rows: the services keep `campaign.<id>.assists` (every assist tagged)
and `campaign.<id>.service.<code>` (done assists of that service) as current-state tallies for the
village and all its ancestors (outreach/metrics.py), so a unit's progress is one indexed read.
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congdongso.accounts.models import User
from congdongso.accounts.selectors import scope_of
from congdongso.campaigns.models import Campaign, CampaignTarget
from congdongso.geo.models import Unit
from congdongso.indicators.models import Tally
from congdongso.indicators.periods import STATE
from congdongso.outreach.metrics import campaign_metric, campaign_service_metric


class Status:
    UPCOMING = "upcoming"
    RUNNING = "running"
    ENDED = "ended"


def status_of(campaign: Campaign, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if today < campaign.starts_on:
        return Status.UPCOMING
    return Status.RUNNING if today <= campaign.ends_on else Status.ENDED


def campaigns_visible(user: User) -> QuerySet[Campaign]:
    """Campaigns run inside the user's scope, and those of the units above it (a member sees the
    province's and the commune's drives that their village takes part in)."""
    scope = scope_of(user)
    campaigns = Campaign.objects.select_related("unit", "service")
    if scope.everything:
        return campaigns
    if not scope.paths:
        return campaigns.none()
    above = {int(part) for path in scope.paths for part in path.strip("/").split("/")}
    inside = reduce(or_, (Q(unit__path__prefix=path) for path in scope.paths))
    return campaigns.filter(inside | Q(unit_id__in=above))


def campaigns_for_unit(user: User, unit: Unit) -> QuerySet[Campaign]:
    """Visible campaigns that concern a unit (in scope): run by it, above it, or inside it."""
    return campaigns_visible(user).filter(Q(unit_id__in=unit.ancestor_ids) | Q(unit__path__prefix=unit.path))


def campaign_in_scope_or_404(user: User, campaign_id: int) -> Campaign:
    campaign = campaigns_visible(user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def campaigns_running_for_village(village: Unit, today: dt.date | None = None) -> list[Campaign]:
    """The campaigns a member may tag help in this village with today: run by the village's commune
    or province (or the village itself), today within their dates. Newest first."""
    today = today or timezone.localdate()
    return list(
        Campaign.objects.filter(unit_id__in=village.ancestor_ids, starts_on__lte=today, ends_on__gte=today)
        .select_related("service").order_by("-starts_on", "-pk")
    )


def start_units(user: User, campaign: Campaign) -> list[Unit]:
    """Where a user's view of a campaign starts: its own unit when in scope, else the user's units
    inside the campaign (a commune officer looking at a province drive sees their commune)."""
    scope = scope_of(user)
    if scope.contains(campaign.unit):
        return [campaign.unit]
    return list(
        Unit.objects.filter(path__in=scope.paths, path__startswith=campaign.unit.path).order_by("depth", "name")
    )


def unit_in_campaign_or_404(user: User, campaign: Campaign, unit_id: int) -> Unit:
    """A unit of the campaign's subtree that is in the user's scope; anything else is a 404."""
    unit = Unit.objects.select_related("parent").filter(pk=unit_id).first()
    if unit is None or not unit.path.startswith(campaign.unit.path) or not scope_of(user).contains(unit):
        raise Http404
    return unit


# --- progress -------------------------------------------------------------------------------------


def progress_metric(campaign: Campaign) -> str:
    """What counts toward the target: done assists of the campaign's service, or every assist tagged."""
    if campaign.service_id:
        return campaign_service_metric(campaign.pk, campaign.service.code)
    return campaign_metric(campaign.pk)


@dataclass(frozen=True)
class Progress:
    unit: Unit
    count: int
    target: int | None  # the unit's own target, else the sum of its children's; None: no target
    own_target: int | None  # the target set on the unit itself

    @property
    def percent(self) -> float | None:
        """Share of the target reached (may pass 100); None without a target."""
        if not self.target:
            return None
        return round(100 * self.count / self.target, 1)

    @property
    def bar(self) -> int:
        """Width of the progress bar, 0–100."""
        return min(100, round(self.percent)) if self.percent is not None else 0

    @property
    def reached(self) -> bool:
        return self.target is not None and self.count >= self.target


@dataclass(frozen=True)
class Board:
    campaign: Campaign
    unit: Unit
    total: Progress
    children: list[Progress]  # by name (diacritics folded: Đông before Tây)


def counts(campaign: Campaign, unit_ids: list[int]) -> dict[int, int]:
    """The campaign's progress count per unit, from tallies (units without a row count 0)."""
    metric = progress_metric(campaign)
    found: dict[int, int] = {}
    for start in range(0, len(unit_ids), 900):
        rows = Tally.objects.filter(unit_id__in=unit_ids[start : start + 900], period=STATE, metric=metric)
        found.update(rows.values_list("unit_id", "value"))
    return {pk: found.get(pk, 0) for pk in unit_ids}


def _targets(campaign: Campaign, units: list[Unit]) -> dict[int, tuple[int | None, int | None]]:
    """Per unit: (target shown, own target). A unit without its own target shows the sum of its
    children's targets, when any is set."""
    ids = [u.pk for u in units]
    own = dict(CampaignTarget.objects.filter(campaign=campaign, unit_id__in=ids).values_list("unit_id", "target"))
    below: dict[int, int] = {}
    child_rows = CampaignTarget.objects.filter(campaign=campaign, unit__parent_id__in=ids).values_list(
        "unit__parent_id", "target"
    )
    for parent_id, target in child_rows:
        below[parent_id] = below.get(parent_id, 0) + target
    return {pk: (own.get(pk, below.get(pk)), own.get(pk)) for pk in ids}


def board(campaign: Campaign, unit: Unit) -> Board:
    """A unit's progress and its current children's, each against its target. The caller has
    checked that the unit is in the campaign and in the user's scope."""
    children = list(Unit.objects.current().filter(parent=unit).order_by("search_name", "name"))
    units = [unit, *children]
    counted = counts(campaign, [u.pk for u in units])
    targets = _targets(campaign, units)
    rows = [Progress(u, counted[u.pk], *targets[u.pk]) for u in units]
    return Board(campaign=campaign, unit=unit, total=rows[0], children=rows[1:])


def ranked(rows: list[Progress]) -> list[Progress]:
    """The leaderboard order: share of the target reached (highest first; units without a target
    after those with one), then the count, then the name."""
    return sorted(
        rows,
        key=lambda row: (row.percent is None, -(row.percent or 0), -row.count, row.unit.name, row.unit.pk),
    )


def leaderboard(campaign: Campaign, unit: Unit) -> list[Progress]:
    return ranked(board(campaign, unit).children)
