"""Reads of data-subject requests (the queue of the communes an officer manages) and of what is held
about a request's subject (the export, and what an erasure must reach)."""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, DateField, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from congdongso.accounts.models import User
from congdongso.accounts.selectors import scope_of
from congdongso.common.text import fold
from congdongso.geo.models import Level, Unit
from congdongso.households.models import Household, Resident
from congdongso.privacy.models import (
    OPEN_STATUSES,
    UNACKNOWLEDGED,
    DataSubjectRequest,
    Restriction,
    Status,
)
from congdongso.privacy.redaction import Needles

CANDIDATES_MAX = 20


# Up to this many restrictions in force, they are read as a list of ids first (see below).
RESTRICTIONS_LISTED_MAX = 2000


def without_restricted(households: QuerySet[Household]) -> QuerySet[Household]:
    """These households less those whose processing is restricted now (registered with households).

    Restrictions are rare, while excluding them in SQL costs every row of a list a look-up: with
    100,000 households in a commune on SQLite, the first page of the list took 67 ms of CPU without
    the filter and 145 ms with `NOT IN (subquery)` (NOT EXISTS and a literal list cost the same), and
    first probing for restrictions "among these households" cost more still (the probe reads every
    household id of the scope). So the ids in force are read first (a handful; the partial index
    holds only them), then which of them lie in this scope (index probes by id); only those are
    excluded, and nothing is added to the query when none do. Past RESTRICTIONS_LISTED_MAX in force,
    the plain subquery is used.
    """
    in_force = Restriction.objects.filter(lifted_at__isnull=True)
    ids = list(in_force.values_list("household_id", flat=True)[: RESTRICTIONS_LISTED_MAX + 1])
    if not ids:
        return households
    if len(ids) > RESTRICTIONS_LISTED_MAX:
        return households.exclude(pk__in=in_force.values("household_id"))
    in_scope = list(households.filter(pk__in=ids).values_list("pk", flat=True))
    return households.exclude(pk__in=in_scope) if in_scope else households


def restriction_in_force(household_id) -> Restriction | None:
    if household_id is None:
        return None
    return Restriction.objects.filter(household_id=household_id, lifted_at__isnull=True).first()


# --- the queue ------------------------------------------------------------------------------------


def _managed_q(user: User, field: str = "commune") -> Q:
    """Requests of the communes the user manages (commune officers and above); nothing for others."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    if not scope.manager_paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__path__prefix": path}) for path in scope.manager_paths))


def requests_visible(user: User) -> QuerySet[DataSubjectRequest]:
    if not user.is_authenticated or not user.is_active:
        return DataSubjectRequest.objects.none()
    return DataSubjectRequest.objects.filter(_managed_q(user)).select_related("commune", "household", "resident")


def request_in_scope_or_404(user: User, request_id: object) -> DataSubjectRequest:
    try:
        return requests_visible(user).select_related("household__village").get(pk=request_id)
    except (DataSubjectRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def communes_managed(user: User) -> QuerySet[Unit]:
    """Current communes where the user may record a request."""
    return Unit.objects.current().filter(_units_q(user), level=Level.COMMUNE).order_by("name")


def _units_q(user: User) -> Q:
    scope = scope_of(user)
    if scope.everything:
        return Q()
    if not scope.manager_paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(path__prefix=path) for path in scope.manager_paths))


def next_due() -> Case:
    """The deadline that matters now: acknowledgement until acknowledged, then completion."""
    return Case(
        When(status__in=UNACKNOWLEDGED, then=F("acknowledge_by")), default=F("complete_by"), output_field=DateField()
    )


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"  # "open", "all" or one status
    overdue: bool = False


def queue(user: User, filters: QueueFilter, *, today: dt.date | None = None) -> QuerySet[DataSubjectRequest]:
    """The user's requests, open ones first, nearest deadline first."""
    today = today or timezone.localdate()
    requests = requests_visible(user).annotate(next_due=next_due())
    if filters.status == "open":
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif filters.status in Status.values:
        requests = requests.filter(status=filters.status)
    if filters.overdue:
        requests = requests.filter(status__in=OPEN_STATUSES, next_due__lt=today)
    stage = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())
    return requests.annotate(stage=stage).order_by("stage", "next_due", "id")


def acknowledgement_overdue(request: DataSubjectRequest, today: dt.date | None = None) -> bool:
    return request.status in UNACKNOWLEDGED and (today or timezone.localdate()) > request.acknowledge_by


def completion_overdue(request: DataSubjectRequest, today: dt.date | None = None) -> bool:
    return request.status in OPEN_STATUSES and (today or timezone.localdate()) > request.complete_by


def open_count(user: User) -> int:
    return requests_visible(user).filter(status__in=OPEN_STATUSES).count()


# --- the subject ----------------------------------------------------------------------------------


def household_candidates(user: User, request: DataSubjectRequest) -> list[Household]:
    """Households in the request's commune (and the user's scope) whose head, or one of whose
    residents, has the name or the phone the person gave: for the officer to link after verifying."""
    name = fold(request.subject_name)
    phone = request.subject_phone
    if not name and not phone:
        return []
    households = Household.objects.filter(scope_of(user).q("village"), village__path__prefix=request.commune.path)
    matching = Q(pk__in=[])
    residents = Resident.objects.none()
    if name:
        matching |= Q(search_name=name)
        residents = Resident.objects.filter(search_name=name)
    if phone:
        matching |= Q(phone=phone)
        residents = residents | Resident.objects.filter(phone=phone)
    households = households.filter(matching | Q(pk__in=residents.values("household_id")))
    return list(households.select_related("village").order_by("village__name", "id")[:CANDIDATES_MAX])


def residents_of(household: Household | None) -> list[Resident]:
    if household is None:
        return []
    return list(household.residents.order_by("created_at", "id"))


def subject_needles(request: DataSubjectRequest, *, whole_household: bool) -> Needles:
    """The names and phones that identify the subject of a request, read before anything is erased."""
    names = [request.subject_name]
    phones = [request.subject_phone]
    if request.resident is not None:
        names.append(request.resident.display_name)
        phones.append(request.resident.phone)
    if whole_household and request.household is not None:
        household = request.household
        names.append(household.head_name)
        phones.append(household.phone)
        names.extend(household.consents.values_list("given_by", flat=True))
        for display_name, phone in household.residents.values_list("display_name", "phone"):
            names.append(display_name)
            phones.append(phone)
    return Needles.of(names=[n for n in names if n], phones=[p for p in phones if p])
