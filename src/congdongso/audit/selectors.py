"""Reads of the access log, always for an acting user and inside their scope.

Who may read it: officers who manage units (commune, province, national) see the accesses to the
households of the units they manage; the unusual-volume view is for province officers and national
admins (the roles that oversee many communes).
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from congdongso.accounts.models import Role, User
from congdongso.accounts.selectors import scope_of
from congdongso.audit.models import AccessLog
from congdongso.geo.models import Unit

# "Usual" is the mean number of households a person looked at per day over the 28 days before the
# last 7 (days without any view count as 0), but never less than USUAL_FLOOR_PER_DAY: a new member,
# or one who rarely looks, is not flagged for a normal day's work. Flagged: the mean per day over the
# last 7 days is more than UNUSUAL_FACTOR times that. A mean rather than a median, so the whole test
# is one grouped SQL query (HAVING) on SQLite and PostgreSQL alike; the floor keeps one quiet month
# from making any ordinary week look unusual.
RECENT_DAYS = 7
USUAL_DAYS = 28
UNUSUAL_FACTOR = 10
USUAL_FLOOR_PER_DAY = 5


def _under(paths: tuple[str, ...]) -> QuerySet[Unit]:
    """Units in the subtrees starting at these paths (the same prefix filter as the scope gate's)."""
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(reduce(or_, (Q(path__prefix=path) for path in paths)))


def _managed_units(user: User) -> QuerySet[Unit] | None:
    """Units whose households' accesses this user may read; None means all (national admin)."""
    scope = scope_of(user)
    if Role.NATIONAL_ADMIN in scope.roles:
        return None
    return _under(scope.manager_paths)


def may_read_accesses(user: User) -> bool:
    scope = scope_of(user)
    return Role.NATIONAL_ADMIN in scope.roles or bool(scope.manager_paths)


def may_read_volumes(user: User) -> bool:
    scope = scope_of(user)
    return Role.NATIONAL_ADMIN in scope.roles or bool(scope.unit_admin_paths)


def accesses_visible(user: User, *, unit: Unit | None = None) -> QuerySet[AccessLog]:
    """Accesses to households of the units the user manages (optionally under one of them), newest first."""
    if not may_read_accesses(user):
        return AccessLog.objects.none()
    logs = AccessLog.objects.select_related("actor")
    managed = _managed_units(user)
    if managed is not None:
        logs = logs.filter(unit_id__in=managed.values("pk"))
    if unit is not None:
        logs = logs.filter(unit_id__in=_under((unit.path,)).values("pk"))
    return logs.order_by("-occurred_at", "-id")


@dataclass(frozen=True)
class UnusualVolume:
    actor: User
    recent: int  # households viewed in the last RECENT_DAYS days
    usual_per_day: float  # the usual daily number, floor included

    @property
    def recent_per_day(self) -> float:
        return self.recent / RECENT_DAYS

    @property
    def times_usual(self) -> float:
        return self.recent_per_day / self.usual_per_day


def unusual_volumes(user: User, *, now: dt.datetime | None = None) -> list[UnusualVolume]:
    """People whose views of households (in the user's overseen units) over the last 7 days exceed 10×
    their usual daily number; the most unusual first. One grouped query, then one for the users."""
    scope = scope_of(user)
    if not may_read_volumes(user):
        return []
    now = now or timezone.now()
    recent_from = now - dt.timedelta(days=RECENT_DAYS)
    usual_from = recent_from - dt.timedelta(days=USUAL_DAYS)
    logs = AccessLog.objects.filter(occurred_at__gte=usual_from, occurred_at__lt=now, actor__isnull=False)
    if Role.NATIONAL_ADMIN not in scope.roles:
        logs = logs.filter(unit_id__in=_under(scope.unit_admin_paths).values("pk"))
    # recent / RECENT_DAYS > FACTOR * max(usual / USUAL_DAYS, FLOOR), in integers:
    # recent * USUAL_DAYS > FACTOR * RECENT_DAYS * max(usual, FLOOR * USUAL_DAYS).
    rows = list(
        logs.values("actor_id")
        .annotate(
            recent=Coalesce(Sum("households", filter=Q(occurred_at__gte=recent_from)), Value(0)),
            usual=Coalesce(Sum("households", filter=Q(occurred_at__lt=recent_from)), Value(0)),
        )
        .annotate(
            scaled_recent=F("recent") * USUAL_DAYS,
            threshold=Greatest(F("usual"), Value(USUAL_FLOOR_PER_DAY * USUAL_DAYS)) * (UNUSUAL_FACTOR * RECENT_DAYS),
        )
        .filter(scaled_recent__gt=F("threshold"))
        .order_by()
        .values_list("actor_id", "recent", "usual")
    )
    users = User.objects.in_bulk([actor_id for actor_id, _, _ in rows])
    found = [
        UnusualVolume(users[actor_id], recent, max(usual / USUAL_DAYS, USUAL_FLOOR_PER_DAY))
        for actor_id, recent, usual in rows
        if actor_id in users
    ]
    return sorted(found, key=lambda row: (-row.times_usual, row.actor.pk))
