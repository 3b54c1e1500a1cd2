"""Build units, users and teams through the real services, so paths and audit stay true."""

import datetime as dt
import itertools

from congdongso.accounts.models import MANAGER_ROLES, Role, User
from congdongso.accounts.services import user_create
from congdongso.geo.models import Kind, Level, Unit
from congdongso.geo.services import unit_create, village_create
from congdongso.teams.models import Affiliation, MemberRole, Membership, Team
from congdongso.teams.services import membership_add, team_create
from congdongso.testing import twofactor

_numbers = itertools.count(1)
PASSWORD = "mat-khau-thu-nghiem-2026"


def province(name: str = "") -> Unit:
    n = next(_numbers)
    return unit_create(
        level=Level.PROVINCE, kind=Kind.PROVINCE, code=f"P{n}", name=name or f"Tỉnh Thử {n}", parent=None,
        actor_id=None,
    )


def commune(parent: Unit | None = None, name: str = "") -> Unit:
    n = next(_numbers)
    return unit_create(
        level=Level.COMMUNE, kind=Kind.COMMUNE, code=f"C{n}", name=name or f"Xã Thử {n}",
        parent=parent or province(), actor_id=None,
    )


def village(parent: Unit | None = None, name: str = "") -> Unit:
    n = next(_numbers)
    return village_create(commune=parent or commune(), name=name or f"Thôn {n}", kind=Kind.THON, actor_id=None)


def user(role: str = Role.MEMBER, unit: Unit | None = None, username: str = "", enrolled: bool | None = None) -> User:
    """A user with one role; officers (who must sign in with a code) get an authenticator app set up
    unless `enrolled=False`, members only with `enrolled=True`."""
    n = next(_numbers)
    made = user_create(
        username=username or f"user{n}", password=PASSWORD, display_name=f"Người dùng {n}", role=role,
        unit=None if role == Role.NATIONAL_ADMIN else unit, actor_id=None,
    )
    if enrolled or (enrolled is None and role in MANAGER_ROLES):
        twofactor.enrol(made)
    return made


def team(unit: Unit | None = None, name: str = "") -> Team:
    unit = unit or village()
    return team_create(unit=unit, name=name or f"Tổ CNSCĐ {unit.name}", actor_id=None)


def member(team: Team, name: str = "", affiliation: str = Affiliation.YOUTH_UNION, user: User | None = None) -> Membership:
    return membership_add(
        team=team, display_name=name or f"Thành viên {next(_numbers)}", role=MemberRole.MEMBER,
        affiliation=affiliation, joined_on=dt.date(2026, 1, 5), user=user, actor_id=None,
    )
