"""A province-scale dataset for benchmarks, built with bulk SQL in minutes: one province, its communes
and villages, households (some with a digital nucleus), one resident each with a few services used
independently, and assists spread over twelve months — then the tallies rebuilt from them.

    build_province(households=1_000_000, assists=10_000_000)

Values are deterministic (seeded), so two runs measure the same data.
"""

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from congdongso.accounts.models import Role
from congdongso.accounts.services import user_create
from congdongso.catalog.models import Adoption, AdoptionState, Service
from congdongso.common.bulk import bulk_insert
from congdongso.common.ids import new_ids
from congdongso.geo.models import Kind, Level
from congdongso.geo.services import VillageSpec, unit_create, villages_create_many
from congdongso.households.models import Household, Resident
from congdongso.outreach.models import Outcome

SERVICES = ["vneid-level2", "cashless-account", "qr-payment", "online-shopping", "scam-awareness", "telehealth",
            "public-service-portal-account", "merchant-qr"]
OUTCOMES = [Outcome.DONE, Outcome.DONE, Outcome.DONE, Outcome.PARTLY, Outcome.NEEDS_FOLLOW_UP, Outcome.REFUSED]
CHUNK = 50_000


def _say(progress: Callable[[str], None] | None, message: str) -> None:
    if progress:
        progress(message)


def build_province(
    *, households: int, assists: int, communes: int = 100, villages_per_commune: int = 30, seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Build the dataset; returns the units to measure and the build timings in seconds."""
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with transaction.atomic():
        province = unit_create(level=Level.PROVINCE, kind=Kind.PROVINCE, code="SCALE", name="Tỉnh Quy Mô",
                               parent=None, actor_id=None)
        commune_units = [
            unit_create(level=Level.COMMUNE, kind=Kind.COMMUNE, code=f"SC{n:04d}", name=f"Xã Quy Mô {n}",
                        parent=province, actor_id=None)
            for n in range(communes)
        ]
        villages = villages_create_many(
            specs=[VillageSpec(c, f"Thôn {v + 1}", Kind.THON) for c in commune_units for v in range(villages_per_commune)],
            actor_id=None,
        )
        member = user_create(username="scale-member", password="bench-only-password-2026", display_name="Thành viên",
                             role=Role.MEMBER, unit=province, actor_id=None)
    timings["units_s"] = round(time.perf_counter() - start, 1)
    village_ids = [v.pk for v in villages]

    start = time.perf_counter()
    household_ids = _insert_households(rng, village_ids, households, progress)
    timings["households_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    _insert_assists(rng, member.pk, household_ids, assists, progress)
    timings["assists_s"] = round(time.perf_counter() - start, 1)
    return {"province": province, "commune": commune_units[0], "village": villages[0], "timings": timings}


def _insert_households(rng: random.Random, village_ids: list[int], count: int, progress) -> list[tuple]:
    """Households, one resident each, and that resident's independent services; returns
    (household id, village id) pairs for the assists."""
    services = {s.code: s.pk for s in Service.objects.filter(code__in=SERVICES)}
    everything = list(Service.objects.values_list("pk", "skill"))
    by_skill: dict[str, int] = {}
    for pk, skill in everything:
        by_skill.setdefault(skill, pk)
    nucleus_services = list(by_skill.values())
    skills = tuple(sorted(by_skill))
    pairs: list[tuple] = []
    now = timezone.now()
    done = 0
    while done < count:
        size = min(CHUNK, count - done)
        ids, resident_ids = new_ids(size), new_ids(size)
        household_rows, resident_rows, adoption_rows = [], [], []
        for index in range(size):
            village_id = village_ids[(done + index) % len(village_ids)]
            nucleus = rng.random() < 0.35
            household_rows.append((ids[index], village_id, rng.random() < 0.1, rng.randint(1, 6), nucleus,
                                   0 if nucleus else rng.randint(1, 5)))
            resident_rows.append((resident_ids[index], ids[index], nucleus, skills if nucleus else ()))
            used = nucleus_services if nucleus else rng.sample(list(services.values()), rng.randint(0, 2))
            adoption_rows.extend((resident_ids[index], service_id, AdoptionState.INDEPENDENT, now) for service_id in used)
            pairs.append((ids[index], village_id))
        with transaction.atomic():
            bulk_insert(Household, ["id", "village", "is_business", "resident_count", "has_nucleus", "missing_skills"],
                        household_rows)
            bulk_insert(Resident, ["id", "household", "proficient", "skills"], resident_rows)
            bulk_insert(Adoption, ["resident", "service", "state", "independent_since"], adoption_rows)
        done += size
        _say(progress, f"households {done:,}/{count:,}")
    return pairs


TIME_POOL = 20_000


def _time_pool(rng: random.Random, today: dt.date) -> list[tuple]:
    """Distinct moments over the last year, each ready for the database with its local month:
    formatting ten million datetimes costs more than inserting them."""
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=364), dt.time(8)))
    moments = sorted(start + dt.timedelta(seconds=rng.randrange(364 * 86_400)) for _ in range(TIME_POOL))
    return [
        (connection.ops.adapt_datetimefield_value(moment), timezone.localtime(moment).strftime("%Y-%m"))
        for moment in moments
    ]


def _assist_rows(rng: random.Random, member_id: int, pairs: list[tuple], count: int, today: dt.date) -> Iterator[tuple]:
    combos = [json.dumps(sorted(rng.sample(SERVICES, rng.randint(1, 2)))) for _ in range(40)]
    times = _time_pool(rng, today)
    uuid_value = (lambda u: u) if connection.features.has_native_uuid_field else (lambda u: u.hex)
    households = [(uuid_value(household_id), village_id) for household_id, village_id in pairs]
    received = connection.ops.adapt_datetimefield_value(timezone.now())
    # Ids in time order, like the phones make them; occurred_at is random within the year.
    for chunk_start in range(0, count, CHUNK):
        for assist_id in new_ids(min(CHUNK, count - chunk_start)):
            household_id, village_id = households[rng.randrange(len(households))]
            occurred, month = times[rng.randrange(TIME_POOL)]
            yield (uuid_value(assist_id), member_id, household_id, village_id, rng.choice(combos),
                   rng.choice(OUTCOMES), "door", occurred, False, "", month, received)


def _insert_assists(rng: random.Random, member_id: int, pairs: list[tuple], count: int, progress) -> None:
    """Plain executemany (COPY on PostgreSQL) of ready values, with the table's secondary indexes
    dropped during the load and built again after it (one sort instead of millions of inserts)."""
    columns = ["id", "member_id", "household_id", "village_id", "services", "outcome", "channel", "occurred_at",
               "independent", "note", "month", "received_at"]
    rows = _assist_rows(rng, member_id, pairs, count, timezone.localdate())
    done = 0
    with transaction.atomic(), connection.cursor() as cursor:
        indexes = _drop_indexes(cursor, "outreach_assist")
        while batch := list(islice(rows, CHUNK)):
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY outreach_assist ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO outreach_assist ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                    batch,
                )
            done += len(batch)
            if done % 500_000 < len(batch):
                _say(progress, f"assists {done:,}/{count:,}")
        _say(progress, "assists: building indexes")
        for sql in indexes:
            cursor.execute(sql)


def _drop_indexes(cursor, table: str) -> list[str]:
    """Drop the table's secondary indexes; returns the statements that build them again."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = %s AND NOT x.indisprimary",
            [table],
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL", [table]
        )
    found = cursor.fetchall()
    for name, _sql in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]
