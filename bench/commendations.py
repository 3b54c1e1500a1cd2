"""Commendation proposals on a province-scale dataset: server time of `commendations.proposal` for the
province over a month and a quarter and for one commune over a month (p50/p95 of
COMMENDATION_BENCH_REPEAT runs), beside a naive version that reads every assist row of the period
into Python (member, time, outcome, household's nucleus) and does the same work there.

Load: COMMENDATION_BENCH_HOUSEHOLDS households (default 300,000) and COMMENDATION_BENCH_ASSISTS
assists (default 2,000,000, over the last 12 months, daytime) in one province of 100 communes x 30
villages, one member and one team per village (3,000 members), plus 40 planted bursts of 15 entries
within half an hour. SQLite by default; DATABASE_URL for PostgreSQL.
"""

import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from itertools import islice

from _setup import django_on_fresh_database

django_on_fresh_database()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from _scale import CHUNK, OUTCOMES, SERVICES, _drop_indexes, build_province  # noqa: E402
from congdongso.accounts.models import Role, RoleAssignment, User  # noqa: E402
from congdongso.campaigns import commendations  # noqa: E402
from congdongso.common.ids import new_ids  # noqa: E402
from congdongso.geo.models import Level, Unit  # noqa: E402
from congdongso.households.models import Household  # noqa: E402
from congdongso.outreach.models import Assist  # noqa: E402
from congdongso.teams.models import Membership, Team  # noqa: E402

HOUSEHOLDS = int(os.environ.get("COMMENDATION_BENCH_HOUSEHOLDS", "300000"))
ASSISTS = int(os.environ.get("COMMENDATION_BENCH_ASSISTS", "2000000"))
REPEAT = int(os.environ.get("COMMENDATION_BENCH_REPEAT", "5"))
BURSTS, BURST_SIZE = 40, 15


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1)}


def members_and_teams(province: Unit) -> dict[int, int]:
    """One member (a user with a login) and one team per village; returns village id -> user id."""
    villages = list(Unit.objects.filter(path__prefix=province.path, level=Level.VILLAGE).order_by("pk"))
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"bench-{v.pk}", password="!", display_name=f"Thành viên {v.name} {v.pk}") for v in villages]
        )
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=u, role=Role.MEMBER, unit=v) for u, v in zip(users, villages, strict=True)]
        )
        teams = Team.objects.bulk_create([Team(unit=v, name=f"Tổ CNSCĐ {v.name} {v.pk}") for v in villages])
        Membership.objects.bulk_create(
            [Membership(team=t, user=u, display_name=u.display_name, joined_on=dt.date(2025, 7, 15))
             for t, u in zip(teams, users, strict=True)]
        )
    return {v.pk: u.pk for v, u in zip(villages, users, strict=True)}


def insert_assists(rng: random.Random, member_of: dict[int, int], count: int) -> None:
    """Assists by the member of each household's village, in daytime over the last year, and a few
    planted bursts; bulk loaded as in _scale (COPY on PostgreSQL), indexes built after."""
    pairs = list(Household.objects.values_list("pk", "village_id"))
    native = connection.features.has_native_uuid_field
    uuid_value = (lambda u: u) if native else (lambda u: u.hex)
    pairs = [(uuid_value(h), v) for h, v in pairs]
    combos = [json.dumps(sorted(rng.sample(SERVICES, rng.randint(1, 2)))) for _ in range(40)]
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    moments = []
    for _ in range(20_000):
        day = today - dt.timedelta(days=rng.randrange(1, 365))
        moment = dt.datetime.combine(day, dt.time(rng.randint(7, 18), rng.randrange(60), rng.randrange(60)), tzinfo=tz)
        moments.append((connection.ops.adapt_datetimefield_value(moment), moment.strftime("%Y-%m")))
    received = connection.ops.adapt_datetimefield_value(timezone.now())

    def rows():
        for start in range(0, count, CHUNK):
            for assist_id in new_ids(min(CHUNK, count - start)):
                household_id, village_id = pairs[rng.randrange(len(pairs))]
                occurred, month = moments[rng.randrange(len(moments))]
                yield (uuid_value(assist_id), member_of[village_id], household_id, village_id, rng.choice(combos),
                       rng.choice(OUTCOMES), "door", occurred, False, "", month, received)
        for _ in range(BURSTS):
            household_id, village_id = pairs[rng.randrange(len(pairs))]
            day = today - dt.timedelta(days=rng.randrange(1, 90))
            start = dt.datetime.combine(day, dt.time(20, 0), tzinfo=tz)
            for n, assist_id in enumerate(new_ids(BURST_SIZE)):
                moment = start + dt.timedelta(minutes=2 * n)
                yield (uuid_value(assist_id), member_of[village_id], household_id, village_id, combos[0], "done",
                       "door", connection.ops.adapt_datetimefield_value(moment), False, "", moment.strftime("%Y-%m"),
                       received)

    columns = ["id", "member_id", "household_id", "village_id", "services", "outcome", "channel", "occurred_at",
               "independent", "note", "month", "received_at"]
    iterator = rows()
    with transaction.atomic(), connection.cursor() as cursor:
        indexes = _drop_indexes(cursor, "outreach_assist")
        while batch := list(islice(iterator, CHUNK)):
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY outreach_assist ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO outreach_assist ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                    batch,
                )
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks, before the indexes
        for sql in indexes:
            cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


WINDOW = dt.timedelta(minutes=60)


def in_bursts(times: list[dt.datetime], limit: int) -> list[int]:
    """Indexes of the sorted times inside some window [t, t + 60 min) holding more than `limit`."""
    marked: list[int] = []
    done = end = 0
    for start in range(len(times)):
        end = max(end, start)
        while end < len(times) and times[end] - times[start] < WINDOW:
            end += 1
        if end - start > limit:
            marked.extend(range(max(start, done), end))
            done = end
    return marked


def naive(unit: Unit, starts_on: dt.date, ends_on: dt.date, limit: int) -> int:
    """The same members' figures, every assist row of the period read into Python."""
    rows = commendations.assists_in(unit, starts_on, ends_on).values_list(
        "pk", "member_id", "occurred_at", "outcome", "household_id", "household__has_nucleus"
    )
    by_member = defaultdict(list)
    for row in rows:
        by_member[row[1]].append(row)
    listed = 0
    for items in by_member.values():
        items.sort(key=lambda r: r[2])
        inside = set(in_bursts([r[2] for r in items], limit))
        counted = [r for i, r in enumerate(items) if i not in inside and r[3] in commendations.VERIFIED]
        _households = {r[4] for r in counted if r[5]}
        listed += 1
    return listed


def timed(fn, repeat: int) -> tuple[dict, object]:
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - start) * 1000)
    return percentiles(timings), result


def main() -> None:
    built = build_province(households=HOUSEHOLDS, assists=0, progress=log)
    province, commune = built["province"], built["commune"]
    member_of = members_and_teams(province)
    log(f"inserting {ASSISTS:,} assists…")
    start = time.perf_counter()
    insert_assists(random.Random(11), member_of, ASSISTS)
    insert_s = round(time.perf_counter() - start, 1)
    today = timezone.localdate()
    month_start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last full month
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    quarter_start = month_start - dt.timedelta(days=62)
    limit = commendations.burst_limit()
    figures = {}
    for name, unit, starts_on, ends_on in (
        ("province_month", province, month_start, month_end),
        ("province_quarter", province, quarter_start.replace(day=1), month_end),
        ("commune_month", commune, month_start, month_end),
    ):
        log(f"timing {name}…")
        in_period = commendations.assists_in(unit, starts_on, ends_on).count()
        proposal_time, proposal = timed(lambda: commendations.proposal(unit, starts_on=starts_on, ends_on=ends_on),
                                        REPEAT)
        naive_time, _listed = timed(lambda: naive(unit, starts_on, ends_on, limit), max(1, REPEAT // 2))
        figures[name] = {
            "assists_in_period": in_period, "members_listed": len(proposal.members), "teams_listed": len(proposal.teams),
            "members_flagged": sum(1 for row in proposal.members if row.flagged), "assists_excluded": proposal.excluded,
            "proposal": proposal_time, "naive_rows_in_python": naive_time,
            "speedup_p50": round(naive_time["p50_ms"] / proposal_time["p50_ms"], 1),
        }
    print(json.dumps({
        "benchmark": "commendations", "database": connection.vendor, "households": HOUSEHOLDS,
        "assists": Assist.objects.count(), "members": len(member_of), "burst_limit": limit,
        "build_s": {**built["timings"], "assists_s": insert_s}, "repeat": REPEAT,
        "load_average": os.getloadavg()[0], **figures,
    }, indent=2))


if __name__ == "__main__":
    main()
