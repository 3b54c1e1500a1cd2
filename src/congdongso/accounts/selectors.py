"""Who may see what: the scope of a user is the union of their assigned units' subtrees."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import F, Model, Q, QuerySet
from django.http import Http404

from congdongso.accounts.models import MANAGER_ROLES, UNIT_ADMIN_ROLES, Device, Role, RoleAssignment, User
from congdongso.geo.models import Unit

_CACHE_ATTR = "_congdongso_scope"


@dataclass(frozen=True)
class Scope:
    everything: bool
    paths: tuple[str, ...]
    roles: frozenset[str]
    manager_paths: tuple[str, ...]
    unit_admin_paths: tuple[str, ...]

    def q(self, unit_field: str = "") -> Q:
        """A filter keeping rows whose unit (reached through `unit_field`) lies in this scope."""
        if self.everything:
            return Q()
        return _paths_q(self.paths, unit_field)

    def contains(self, unit: Unit) -> bool:
        return self.everything or any(unit.path.startswith(path) for path in self.paths)

    def manages(self, unit: Unit) -> bool:
        return Role.NATIONAL_ADMIN in self.roles or any(unit.path.startswith(p) for p in self.manager_paths)

    def administers_units(self, unit: Unit) -> bool:
        return Role.NATIONAL_ADMIN in self.roles or any(unit.path.startswith(p) for p in self.unit_admin_paths)


def _paths_q(paths: tuple[str, ...], unit_field: str) -> Q:
    if not paths:
        return Q(pk__in=[])
    lookup = f"{unit_field}__path__prefix" if unit_field else "path__prefix"
    return reduce(or_, (Q(**{lookup: path}) for path in paths))


def scope_of(user: User) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope(False, (), frozenset(), (), ())
    else:
        rows = list(RoleAssignment.objects.filter(user=user).values_list("role", "unit__path"))
        roles = frozenset(role for role, _ in rows)
        scope = Scope(
            everything=Role.NATIONAL_ADMIN in roles,
            paths=_outermost(path for _, path in rows if path),
            roles=roles,
            manager_paths=_outermost(path for role, path in rows if path and role in MANAGER_ROLES),
            unit_admin_paths=_outermost(path for role, path in rows if path and role in UNIT_ADMIN_ROLES),
        )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def _outermost(paths) -> tuple[str, ...]:
    """Drop paths already covered by a shorter one, so filters stay small."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


def units_in_scope(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_of(user).q())


def users_in_scope(user: User) -> QuerySet[User]:
    """Users holding a role somewhere inside the acting user's scope."""
    assignments = RoleAssignment.objects.filter(scope_of(user).q("unit"))
    return User.objects.filter(pk__in=assignments.values("user_id"))


def top_units(user: User) -> list[Unit]:
    """The units a user's scope starts from (provinces for a national admin)."""
    scope = scope_of(user)
    if scope.everything:
        return list(Unit.objects.current().filter(depth=1).order_by("name"))
    return list(Unit.objects.filter(path__in=scope.paths).order_by("depth", "name"))


def get_in_scope_or_404[M: Model](queryset: QuerySet[M], user: User, *, unit_field: str, **lookup) -> M:
    """Fetch one object whose unit is in the user's scope; anything else is a 404, never a 403."""
    try:
        return queryset.filter(scope_of(user).q(unit_field)).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def unit_in_scope_or_404(user: User, unit_id: int) -> Unit:
    return get_in_scope_or_404(Unit.objects.select_related("parent"), user, unit_field="", pk=unit_id)


def devices_of(user: User) -> QuerySet[Device]:
    """A user's own devices, the last synced first."""
    return Device.objects.filter(user=user).order_by(F("last_sync_at").desc(nulls_last=True), "-pk")


def devices_managed(user: User) -> QuerySet[Device]:
    """Devices of the members (and other users) holding a role inside the units this user manages."""
    scope = scope_of(user)
    if Role.NATIONAL_ADMIN in scope.roles:
        devices = Device.objects.all()
    elif not scope.manager_paths:
        return Device.objects.none()
    else:
        assignments = RoleAssignment.objects.filter(_paths_q(scope.manager_paths, "unit"))
        devices = Device.objects.filter(user_id__in=assignments.values("user_id"))
    return devices.select_related("user").order_by(F("last_sync_at").desc(nulls_last=True), "-pk")


def device_in_reach_or_404(user: User, device_pk: int) -> Device:
    """A device the user may revoke: their own, or one of a user in the units they manage."""
    try:
        return (devices_of(user) | devices_managed(user)).select_related("user").get(pk=device_pk)
    except (Device.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
