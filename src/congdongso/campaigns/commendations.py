"""Commendation proposals: members and teams of a unit's scope ranked by verified activity in a period.

Verified activity is assists with outcome "done" or "partly", and the households they helped that
now have a digital nucleus. Implausible self-reported bursts do not count: when one member recorded
more than N assists (settings.COMMENDATION_BURST_LIMIT, 12 by default) within 60 minutes, every
assist of that window is excluded, and the member is flagged with the number excluded. An assist
counts for a team when its member belonged to the team during the period and its village lies in
the team's unit.

This is a periodic report over a bounded scope and period, so it reads assist rows, but once, through
the (village, occurred_at) index, and leaves the work to the database (one statement, `_statement`):
window functions mark the bursts, grouping gives one row per (member, village) with its verified
assists, assists left out and households with a nucleus helped, plus the few households helped by
two members or more (a team counts such a household once). Python only adds up those grouped rows
into members and teams (an assist counts for a team when its member belonged to the team during
the period and its village lies in the team's unit).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from congdongso.common.text import fold
from congdongso.geo.models import Unit
from congdongso.outreach.models import Assist, Outcome
from congdongso.teams.models import Membership

VERIFIED = (Outcome.DONE, Outcome.PARTLY)
DEFAULT_BURST_LIMIT = 12
_IDS_PER_QUERY = 5_000


_sort_key = lru_cache(maxsize=65_536)(fold)
"""Names sort without diacritics (Đông before Tây); thousands of rows repeat the same names."""


def burst_limit() -> int:
    return max(1, int(getattr(settings, "COMMENDATION_BURST_LIMIT", DEFAULT_BURST_LIMIT)))


@dataclass
class Row:
    """One line of the proposal: a member (kind "member") or a team (kind "team")."""

    kind: str
    pk: int
    name: str
    where: str  # a member's teams; a team's village or commune
    assists: int = 0  # verified assists that count
    households: int = 0  # households helped by those assists that now have a digital nucleus
    excluded: int = 0  # assists left out as part of a burst
    rank: int = 0

    @property
    def flagged(self) -> bool:
        return self.excluded > 0


@dataclass
class Proposal:
    unit: Unit
    starts_on: dt.date
    ends_on: dt.date
    limit: int
    members: list[Row] = field(default_factory=list)
    teams: list[Row] = field(default_factory=list)

    @property
    def excluded(self) -> int:
        return sum(row.excluded for row in self.members)


def period_bounds(starts_on: dt.date, ends_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight of the first day, and of the day after the last."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(starts_on, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(ends_on + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, end


def assists_in(unit: Unit, starts_on: dt.date, ends_on: dt.date) -> QuerySet[Assist]:
    """The assists of a unit's subtree in a period: (village, occurred_at) index, villages by path."""
    start, end = period_bounds(starts_on, ends_on)
    villages = Unit.objects.filter(path__prefix=unit.path).values("pk")
    return Assist.objects.filter(village_id__in=villages, occurred_at__gte=start, occurred_at__lt=end)


def proposal(unit: Unit, *, starts_on: dt.date, ends_on: dt.date, limit: int | None = None) -> Proposal:
    """The ranked members and teams of a unit's subtree. The caller checks scope and role."""
    limit = limit or burst_limit()
    # Per (member, village): verified assists that count, assists left out in bursts, households
    # with a nucleus helped; and the households helped by two members or more.
    verified: dict[tuple[int, int], int] = {}
    dropped: dict[tuple[int, int], int] = {}
    nucleus: dict[tuple[int, int], int] = {}
    helpers: dict[object, set[int]] = defaultdict(set)
    village_of: dict[object, int] = {}
    sql, params = _statement(unit, starts_on, ends_on, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, member_id, village_id, household_id, counted, burst, households in cursor.fetchall():
            if kind == "mv":
                key = (member_id, village_id)
                verified[key], dropped[key], nucleus[key] = int(counted), int(burst), int(households)
            else:
                helpers[household_id].add(member_id)
                village_of[household_id] = village_id
    keys = {key for key in verified if verified[key] or dropped[key]}
    shared = [(village_of[household], members) for household, members in helpers.items()]
    memberships = _memberships(unit, starts_on, ends_on)
    return Proposal(
        unit=unit, starts_on=starts_on, ends_on=ends_on, limit=limit,
        members=_ranked(_member_rows(keys, verified, nucleus, dropped, memberships)),
        teams=_ranked(_team_rows(unit, keys, verified, nucleus, dropped, memberships, shared)),
    )


# A window holds the moments less than 60 minutes after its first one. Moments are compared in
# minutes as floating point (to well under a millisecond on both databases), so the window's far
# edge sits just short of 60.
WINDOW_MINUTES = 60 - 1e-5


def _statement(unit: Unit, starts_on: dt.date, ends_on: dt.date, limit: int) -> tuple[str, list]:
    """One pass over the period's assists of the subtree (the (village, occurred_at) index, one join
    to the household for its nucleus), then in the database: two window functions mark the bursts
    (for each assist, how many of its member's assists fall in the 60 minutes from it; an assist is in
    a burst when a window starting at most 60 minutes before it holds more than `limit`), and
    grouping gives (member, village) rows ("mv") and the helpers of shared households ("sh")."""
    ops = connection.ops
    if connection.vendor == "postgresql":
        minutes = "CAST(EXTRACT(EPOCH FROM a.occurred_at) / 60 AS double precision)"
        prefix, wildcard, no_household = "LIKE", "%", "CAST(NULL AS uuid)"
    else:
        minutes = "((julianday(a.occurred_at) - 2440587.5) * 1440.0)"
        prefix, wildcard, no_household = "GLOB", "*", "NULL"
    window = f"CAST({WINDOW_MINUTES!r} AS double precision)" if connection.vendor == "postgresql" else repr(
        WINDOW_MINUTES
    )
    start, end = period_bounds(starts_on, ends_on)
    counts = "m.verified = 1 AND m.burst = 0 AND m.nucleus"
    sql = f"""
        WITH period AS (
            SELECT a.member_id, a.village_id, a.household_id, h.has_nucleus AS nucleus,
                   CASE WHEN a.outcome IN (%s, %s) THEN 1 ELSE 0 END AS verified, {minutes} AS t
            FROM outreach_assist a JOIN households_household h ON h.id = a.household_id
            WHERE a.village_id IN (SELECT u.id FROM geo_unit u WHERE u.path {prefix} %s)
              AND a.occurred_at >= %s AND a.occurred_at < %s
        ), windows AS (
            SELECT member_id, village_id, household_id, nucleus, verified, t,
                   COUNT(*) OVER (PARTITION BY member_id ORDER BY t
                                  RANGE BETWEEN CURRENT ROW AND {window} FOLLOWING) AS n
            FROM period
        ), marked AS MATERIALIZED (
            SELECT member_id, village_id, household_id, nucleus, verified,
                   MAX(CASE WHEN n > {int(limit)} THEN 1 ELSE 0 END) OVER (
                       PARTITION BY member_id ORDER BY t RANGE BETWEEN {window} PRECEDING AND CURRENT ROW
                   ) AS burst
            FROM windows
        )
        SELECT 'mv', m.member_id, m.village_id, {no_household}, SUM(m.verified * (1 - m.burst)), SUM(m.burst),
               COUNT(DISTINCT CASE WHEN {counts} THEN m.household_id END)
        FROM marked m GROUP BY m.member_id, m.village_id
        UNION ALL
        SELECT 'sh', p.member_id, p.village_id, p.household_id, 0, 0, 0
        FROM (
            SELECT helpers.*, COUNT(*) OVER (PARTITION BY helpers.household_id) AS k
            FROM (
                SELECT m.household_id, m.member_id, MIN(m.village_id) AS village_id
                FROM marked m WHERE {counts} GROUP BY m.household_id, m.member_id
            ) helpers
        ) p
        WHERE p.k > 1
    """
    params = [
        *VERIFIED, unit.path + wildcard, ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end),
    ]
    return sql, params


# --- members and teams ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Membership:
    user_id: int
    team_id: int
    team_name: str
    team_unit_path: str
    team_unit_name: str
    current: bool


def _memberships(unit: Unit, starts_on: dt.date, ends_on: dt.date) -> list[_Membership]:
    """Memberships of the teams of the unit's subtree that overlap the period."""
    rows = (
        Membership.objects.filter(team__unit__path__prefix=unit.path, user__isnull=False, joined_on__lte=ends_on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=starts_on))
        .values_list("user_id", "team_id", "team__name", "team__unit__path", "team__unit__name", "left_on")
    )
    return [_Membership(u, t, name, path, unit_name, left_on is None) for u, t, name, path, unit_name, left_on in rows]


def _names(user_ids: list[int]) -> dict[int, str]:
    """Display names (else logins) of users, ids inlined: integers only, so nothing to escape, and
    thousands of them as query parameters cost more to prepare than the query takes."""
    names: dict[int, str] = {}
    ids = sorted({int(pk) for pk in user_ids})
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ",".join(str(pk) for pk in ids[start : start + _IDS_PER_QUERY])
            cursor.execute(f"SELECT id, username, display_name FROM accounts_user WHERE id IN ({chunk})")
            for pk, username, display_name in cursor.fetchall():
                names[pk] = display_name or username
    return names


def _member_rows(keys, verified, nucleus, dropped, memberships: list[_Membership]) -> list[Row]:
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for member_id, village_id in keys:
        total = totals[member_id]
        total[0] += verified.get((member_id, village_id), 0)
        total[1] += nucleus.get((member_id, village_id), 0)  # a household lives in one village
        total[2] += dropped.get((member_id, village_id), 0)
    teams: dict[int, list[str]] = defaultdict(list)
    for m in sorted(memberships, key=lambda m: _sort_key(m.team_name)):
        if m.current and m.user_id in totals and m.team_name not in teams[m.user_id]:
            teams[m.user_id].append(m.team_name)
    names = _names(list(totals))
    return [
        Row("member", member_id, names.get(member_id, ""), ", ".join(teams.get(member_id, ())), *total)
        for member_id, total in totals.items()
    ]


def _team_rows(
    unit: Unit, keys, verified, nucleus, dropped, memberships: list[_Membership], shared: list[tuple[int, set[int]]]
) -> list[Row]:
    paths = dict(Unit.objects.filter(path__prefix=unit.path).values_list("pk", "path"))
    by_user: dict[int, list[_Membership]] = defaultdict(list)
    for m in memberships:
        by_user[m.user_id].append(m)
    teams: dict[int, Row] = {}
    # The members whose help counts for each team.
    counted: dict[int, set[int]] = defaultdict(set)
    for member_id, village_id in keys:
        village_path = paths.get(village_id, "")
        for m in {m.team_id: m for m in by_user.get(member_id, ()) if village_path.startswith(m.team_unit_path)}.values():
            row = teams.setdefault(m.team_id, Row("team", m.team_id, m.team_name, m.team_unit_name))
            row.assists += verified.get((member_id, village_id), 0)
            row.households += nucleus.get((member_id, village_id), 0)
            row.excluded += dropped.get((member_id, village_id), 0)
            counted[m.team_id].add(member_id)
    # A household of a team's area helped by k of its members was counted k times: count it once.
    team_paths = {m.team_id: m.team_unit_path for m in memberships}
    for village_id, helpers in shared:
        village_path = paths.get(village_id, "")
        for team_id, members in counted.items():
            k = len(helpers & members)
            if k > 1 and village_path.startswith(team_paths[team_id]):
                teams[team_id].households -= k - 1
    return list(teams.values())


def _ranked(rows: list[Row]) -> list[Row]:
    """Most verified assists first, then most households with a nucleus, then by name."""
    rows = [row for row in rows if row.assists or row.excluded]
    rows.sort(key=lambda row: (-row.assists, -row.households, _sort_key(row.name), row.pk))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows
