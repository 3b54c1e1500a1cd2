"""Reads for the work at the door: the worklist, a household's visit screen, follow-ups.

Every read takes the acting user and keeps to their scope; out-of-scope objects answer 404.
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from congdongso.accounts.models import User
from congdongso.accounts.selectors import get_in_scope_or_404, scope_of
from congdongso.catalog.models import Service
from congdongso.geo.models import Level, Unit
from congdongso.households.models import TAG_FIELDS, Household
from congdongso.households.selectors import household_in_scope_or_404, households_visible  # noqa: F401 (re-exported)
from congdongso.outreach.models import Assist, FollowUp, FollowUpStatus

# A village filter offers every village in scope up to this many; larger scopes filter from a unit page.
VILLAGE_CHOICES_LIMIT = 300


def worklist(
    user: User, *, village: Unit | None = None, tag: str | None = None, today: dt.date | None = None
) -> QuerySet[Household]:
    """The households in the user's scope, neediest first: no digital nucleus, then a follow-up due
    (open, due today or earlier), then most missing skills, then the longest since the last assist
    (never assisted first). `village` narrows to a unit's subtree (the caller checks it is in scope);
    `tag` to households with that tag (households.models.Tag; anything else is a ValueError).

    Every sort key is an indexed column or an index probe per row (follow-ups by household, the
    latest assist on (household, occurred_at)); the village is joined, nothing is fetched per row.
    """
    today = today or timezone.localdate()
    households = households_visible(user)
    if village is not None:
        households = households.filter(village__path__prefix=village.path)
    if tag:
        if tag not in TAG_FIELDS:
            raise ValueError(f"unknown tag {tag!r}")
        households = households.filter(**{TAG_FIELDS[tag]: True})
    due = FollowUp.objects.filter(household=OuterRef("pk"), status=FollowUpStatus.OPEN, due_on__lte=today)
    last_assist = Assist.objects.filter(household=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    return (
        households.select_related("village")
        .annotate(follow_up_due=Exists(due), last_assist_at=Subquery(last_assist))
        .order_by(
            "has_nucleus", F("follow_up_due").desc(), F("missing_skills").desc(),
            F("last_assist_at").asc(nulls_first=True), "pk",
        )
    )


def villages_in_scope(user: User) -> list[Unit]:
    """Villages a worklist can be narrowed to (none when the scope holds too many to list)."""
    villages = (
        Unit.objects.current().filter(scope_of(user).q(), level=Level.VILLAGE).select_related("parent")
        .order_by("parent__name", "name")[: VILLAGE_CHOICES_LIMIT + 1]
    )
    villages = list(villages)
    return [] if len(villages) > VILLAGE_CHOICES_LIMIT else villages


def services_for_household(household: Household) -> QuerySet[Service]:
    """The active services of the catalogue a household's province offers: national ones and its own."""
    province_id = household.village.ancestor_ids[0]
    return Service.objects.filter(Q(province__isnull=True) | Q(province_id=province_id), is_active=True)


def recent_assists(household: Household, limit: int = 5) -> list[Assist]:
    return list(household.assists.select_related("resident", "member").order_by("-occurred_at")[:limit])


def service_names(codes: set[str]) -> dict[str, str]:
    return dict(Service.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def open_follow_ups(household: Household) -> list[FollowUp]:
    return list(household.follow_ups.filter(status=FollowUpStatus.OPEN).order_by("due_on", "pk"))


def follow_ups_visible(user: User) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(scope_of(user).q("village"))


def follow_ups_to_do(user: User, *, village: Unit | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups in scope, earliest due first (overdue ones lead)."""
    follow_ups = follow_ups_visible(user).filter(status=FollowUpStatus.OPEN)
    if village is not None:
        follow_ups = follow_ups.filter(village__path__prefix=village.path)
    return follow_ups.select_related("village", "household").order_by("due_on", "pk")


def follow_up_in_scope_or_404(user: User, follow_up_id: int) -> FollowUp:
    return get_in_scope_or_404(
        FollowUp.objects.select_related("village", "household"), user, unit_field="village", pk=follow_up_id
    )

