"""Importing a household list: rows per second for CSV and XLSX, end to end (read, check every row,
save households, consent records and residents in one transaction), beside a raw insert of the same
rows (`executemany` of ready-made tuples, batches of 5,000, one transaction) measured in the same run.

Load: 100,000 households in 50 villages of one commune; half consented (head's name, address, phone,
consent method) with one resident listed each (name, birth year, sex, phone, device), half counts
only. "rows" counts every data row of the upload: household rows plus resident rows (150,000).
Set IMPORT_BENCH_HOUSEHOLDS to change the size. Each figure is the best of IMPORT_BENCH_REPEAT runs
(default 2). "cpu_s" is this process's CPU time (SQLite runs in-process; PostgreSQL's own work is
not in it): on a machine shared with other jobs it says more than the wall clock, so both are given,
with the load average at the start.
"""

import json
import os
import time

from _setup import django_on_fresh_database

django_on_fresh_database()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from congdongso.common.ids import new_ids  # noqa: E402
from congdongso.common.text import fold  # noqa: E402
from congdongso.households.importing import check_tables, households_import, open_tables  # noqa: E402
from congdongso.households.models import ConsentRecord, Household, Resident  # noqa: E402
from congdongso.geo.models import Kind, Level  # noqa: E402
from congdongso.geo.services import unit_create, village_create  # noqa: E402
from congdongso.testing.household_lists import (  # noqa: E402
    HOUSEHOLD_HEADER,
    RESIDENT_HEADER,
    csv_bytes,
    household_rows,
    xlsx_bytes,
)

HOUSEHOLDS = int(os.environ.get("IMPORT_BENCH_HOUSEHOLDS", "100000"))
REPEAT = int(os.environ.get("IMPORT_BENCH_REPEAT", "2"))
VILLAGES = 50


def clear() -> None:
    with transaction.atomic():
        Resident.objects.all().delete()
        ConsentRecord.objects.all().delete()
        Household.objects.all().delete()


def import_once(data: bytes, name: str, residents: bytes | None, residents_name: str) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    tables = open_tables(data, name, residents_data=residents, residents_filename=residents_name)
    checked = check_tables(tables, within=None)
    checked_at = time.perf_counter()
    assert checked.ok, checked.errors[:5]
    counts = households_import(checked=checked, actor_id=None)
    end, cpu = time.perf_counter(), time.process_time() - cpu
    assert counts.households == HOUSEHOLDS
    rows = checked.rows
    return {
        "seconds": round(end - start, 2),
        "read_and_check_s": round(checked_at - start, 2),
        "save_s": round(end - checked_at, 2),
        "cpu_s": round(cpu, 2),
        "rows_per_s": round(rows / (end - start)),
        "rows_per_cpu_s": round(rows / cpu),
    }


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda run: run["seconds"])


def raw_insert(households: list[list], residents: list[list], village_ids: dict[str, int]) -> dict:
    """The same rows as plain tuples, inserted with executemany: the floor for any import."""
    now = timezone.now()
    ids = new_ids(len(households))
    uuid = (lambda u: u) if connection.features.has_native_uuid_field else (lambda u: u.hex)
    stamp = Household._meta.get_field("created_at").get_db_prep_save(now, connection)
    purposes = ConsentRecord._meta.get_field("purposes").get_db_prep_save(["digital_support"], connection)
    skills = Resident._meta.get_field("skills").get_db_prep_save([], connection)
    id_by_ref = {}
    household_params, consent_params = [], []
    for row, pk in zip(households, ids, strict=True):
        id_by_ref[row[0]] = uuid(pk)
        tags = [value == "x" for value in row[6:12]]
        consented = row[12] == "có"
        household_params.append((
            uuid(pk), village_ids[row[1]], row[0], *tags, int(row[5]), row[3], fold(row[3]), row[2],
            f"+84{row[4][1:]}" if row[4] else "", consented, False, 5, stamp, stamp,
        ))
        if consented:
            consent_params.append((uuid(pk), row[3], "signed", purposes, "2026-01", stamp))
    resident_params = [
        (uuid(pk), id_by_ref[r[0]], r[1], fold(r[1]), int(r[2]), "male", f"+84{r[4][1:]}", "smartphone", False,
         skills, False, stamp, stamp)
        for r, pk in zip(residents, new_ids(len(residents)), strict=True)
    ]
    statements = [
        ("INSERT INTO households_household (id, village_id, list_ref, is_business, has_school_children, has_elderly,"
         " is_poor, is_ethnic_minority, has_disability, resident_count, head_name, search_name, address_line, phone,"
         " has_consent, has_nucleus, missing_skills, created_at, updated_at)"
         " VALUES (" + ", ".join(["%s"] * 19) + ")", household_params),
        ("INSERT INTO households_consentrecord (household_id, given_by, method, purposes, notice_version, given_at)"
         " VALUES (%s, %s, %s, %s, %s, %s)", consent_params),
        ("INSERT INTO households_resident (id, household_id, display_name, search_name, birth_year, sex, phone, device,"
         " proficient, skills, is_anonymised, created_at, updated_at)"
         " VALUES (" + ", ".join(["%s"] * 13) + ")", resident_params),
    ]
    start, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            for offset in range(0, len(params), 5000):
                cursor.executemany(sql, params[offset:offset + 5000])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rows = len(households) + len(residents)
    return {
        "seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "rows_per_s": round(rows / seconds),
        "rows_per_cpu_s": round(rows / cpu),
    }


def bulk_create_households(households: list[list], village_ids: dict[str, int]) -> dict:
    """For comparison: Django's bulk_create of the household rows alone (what the import avoids)."""
    now = timezone.now()
    objects = [
        Household(
            id=pk, village_id=village_ids[row[1]], list_ref=row[0], resident_count=int(row[5]), head_name=row[3],
            search_name=fold(row[3]), address_line=row[2], phone=f"+84{row[4][1:]}" if row[4] else "",
            has_consent=row[12] == "có", created_at=now, updated_at=now,
        )
        for row, pk in zip(households, new_ids(len(households)), strict=True)
    ]
    start = time.perf_counter()
    with transaction.atomic():
        Household.objects.bulk_create(objects, batch_size=2000)
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "rows_per_s": round(len(objects) / seconds)}


# Codes are never reused, and a PostgreSQL bench database outlives the run: this run's own codes.
run = time.strftime("%y%m%d%H%M%S")
province = unit_create(level=Level.PROVINCE, kind=Kind.PROVINCE, code=f"BP{run}", name=f"Tỉnh Đo {run}", parent=None, actor_id=None)
commune = unit_create(level=Level.COMMUNE, kind=Kind.COMMUNE, code=f"BC{run}", name="Xã Đo", parent=province, actor_id=None)
villages = [village_create(commune=commune, name=f"Thôn {n}", kind=Kind.THON, actor_id=None) for n in range(VILLAGES)]
village_ids = {village.code: village.pk for village in villages}
households, residents = household_rows(list(village_ids), HOUSEHOLDS)
files = {
    "csv": (csv_bytes(HOUSEHOLD_HEADER, households), "ho.csv", csv_bytes(RESIDENT_HEADER, residents), "nhan_khau.csv"),
    "xlsx": (xlsx_bytes(households, residents), "ho.xlsx", None, ""),
}
result = {
    "bench": "import_households",
    "database": connection.vendor,
    "load": f"{HOUSEHOLDS} households in {VILLAGES} villages, half consented with one resident each, half counts only",
    "households": HOUSEHOLDS,
    "residents": len(residents),
    "rows": HOUSEHOLDS + len(residents),
    "load_average_at_start": round(os.getloadavg()[0], 1),
    "cpus": os.cpu_count(),
    "file_mb": {kind: round((len(data) + len(extra or b"")) / 1e6, 1) for kind, (data, _n, extra, _r) in files.items()},
}
for kind, (data, name, extra, extra_name) in files.items():
    runs = []
    for _ in range(REPEAT):
        clear()
        runs.append(import_once(data, name, extra, extra_name))
    result[kind] = best(runs)
runs = []
for _ in range(REPEAT):
    clear()
    runs.append(raw_insert(households, residents, village_ids))
result["raw_executemany"] = best(runs)
clear()
result["bulk_create_households_only"] = bulk_create_households(households, village_ids)
clear()
result["goals_rows_per_s"] = {"csv": 50_000, "xlsx": 10_000}
result["csv_vs_raw"] = round(result["csv"]["rows_per_s"] / result["raw_executemany"]["rows_per_s"], 2)
print(json.dumps(result, ensure_ascii=False))
