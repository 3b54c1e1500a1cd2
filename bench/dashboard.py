"""Dashboards on a province-scale dataset: server time of the dashboard page for the province, a
commune and a village (p50/p95 over DASHBOARD_BENCH_REPEAT requests through Django's test client,
rendering included), beside the same headline figures computed by a naive GROUP BY over the facts in
the same run; and the full `rebuild_tallies` time beside a raw SQL GROUP BY of the same fact tables.

Load: DASHBOARD_BENCH_HOUSEHOLDS households (default 1,000,000; one resident each, 0-5 services used
independently) and DASHBOARD_BENCH_ASSISTS assists (default 10,000,000, over the last 12 months) in
one province of 100 communes x 30 villages. SQLite by default; DATABASE_URL for PostgreSQL. Building
the data takes minutes; its timings are printed too. With CONGDONGSO_VAR (or DATABASE_URL) naming a
database this bench already built, the build is skipped (the rebuild and every timing still run).
"""

import json
import os
import statistics
import sys
import time

from _setup import django_on_fresh_database

os.environ.setdefault("ALLOWED_HOSTS", "localhost")
django_on_fresh_database()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from _scale import build_province  # noqa: E402
from congdongso.accounts.models import Role, User  # noqa: E402
from congdongso.accounts.services import user_create  # noqa: E402
from congdongso.indicators.services import tallies_check, tallies_rebuild  # noqa: E402
from congdongso.indicators.models import Tally  # noqa: E402
from congdongso.testing.twofactor import mark_client_verified  # noqa: E402

HOUSEHOLDS = int(os.environ.get("DASHBOARD_BENCH_HOUSEHOLDS", "1000000"))
ASSISTS = int(os.environ.get("DASHBOARD_BENCH_ASSISTS", "10000000"))
REPEAT = int(os.environ.get("DASHBOARD_BENCH_REPEAT", "40"))
NAIVE_REPEAT = int(os.environ.get("DASHBOARD_BENCH_NAIVE_REPEAT", "3"))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentiles(timings: list[float], prefix: str = "") -> dict:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {f"{prefix}p50_ms": round(statistics.median(ordered), 2), f"{prefix}p95_ms": round(p95, 2)}


def time_dashboard(client: Client, unit) -> dict:
    url = reverse("indicators:dashboard", args=[unit.pk])
    assert client.get(url).status_code == 200  # warm-up
    # CPU time beside wall time: SQLite runs in this process, so CPU is the server's whole work and
    # stays meaningful on a machine shared with other jobs, where wall time also counts waiting.
    timings, cpu = [], []
    for _ in range(REPEAT):
        start, cpu_start = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
        assert response.status_code == 200
    return {**percentiles(timings), **percentiles(cpu, prefix="cpu_")}


def naive_figures(unit) -> None:
    """The dashboard's figures straight from the facts: the unit's totals, its twelve months of
    assists, and each child's totals — GROUP BY over households, residents, adoption and assists."""
    like = unit.path + "%"
    month = timezone.localdate().strftime("%Y-%m")
    child_depth = unit.depth + 1
    queries = [
        ("SELECT COUNT(*), SUM(h.has_nucleus), SUM(h.resident_count) FROM households_household h "
         "JOIN geo_unit v ON v.id = h.village_id WHERE v.path LIKE %s", [like]),
        ("SELECT COUNT(*) FROM households_resident r JOIN households_household h ON h.id = r.household_id "
         "JOIN geo_unit v ON v.id = h.village_id WHERE v.path LIKE %s AND r.proficient", [like]),
        ("SELECT s.code, COUNT(*) FROM catalog_adoption a JOIN catalog_service s ON s.id = a.service_id "
         "JOIN households_resident r ON r.id = a.resident_id JOIN households_household h ON h.id = r.household_id "
         "JOIN geo_unit v ON v.id = h.village_id WHERE v.path LIKE %s AND a.state = 'independent' GROUP BY s.code",
         [like]),
        ("SELECT a.month, a.outcome, COUNT(*) FROM outreach_assist a JOIN geo_unit v ON v.id = a.village_id "
         "WHERE v.path LIKE %s GROUP BY a.month, a.outcome", [like]),
        ("SELECT c.id, COUNT(*), SUM(h.has_nucleus) FROM households_household h JOIN geo_unit v ON v.id = h.village_id "
         "JOIN geo_unit c ON v.path LIKE c.path || '%%' WHERE c.path LIKE %s AND c.depth = %s GROUP BY c.id",
         [like, child_depth]),
        ("SELECT c.id, COUNT(*) FROM outreach_assist a JOIN geo_unit v ON v.id = a.village_id "
         "JOIN geo_unit c ON v.path LIKE c.path || '%%' WHERE c.path LIKE %s AND c.depth = %s AND a.month = %s "
         "GROUP BY c.id", [like, child_depth, month]),
    ]
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            cursor.fetchall()


def time_naive(unit) -> dict:
    timings = []
    for _ in range(NAIVE_REPEAT):
        start = time.perf_counter()
        naive_figures(unit)
        timings.append((time.perf_counter() - start) * 1000)
    return percentiles(timings)


def raw_group_by() -> float:
    """The floor for a rebuild: one plain GROUP BY over each fact table the tallies count."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in (
            "SELECT village_id, month, outcome, COUNT(*) FROM outreach_assist GROUP BY village_id, month, outcome",
            "SELECT village_id, COUNT(*), SUM(has_nucleus) FROM households_household GROUP BY village_id",
            "SELECT household_id, COUNT(*) FROM households_resident WHERE proficient GROUP BY household_id",
            "SELECT service_id, COUNT(*) FROM catalog_adoption GROUP BY service_id",
        ):
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - start


def already_built() -> dict | None:
    """The units a previous run of this bench built in this database, if any."""
    from congdongso.geo.models import Unit

    province = Unit.objects.filter(code="SCALE").first()
    if province is None:
        return None
    commune = Unit.objects.get(code="SC0000")
    village = Unit.objects.filter(parent=commune).order_by("pk").first()
    return {"province": province, "commune": commune, "village": village, "timings": "reused an already built database"}


def main() -> None:
    built = already_built() or build_province(households=HOUSEHOLDS, assists=ASSISTS, progress=log)
    log("rebuilding tallies…")
    start = time.perf_counter()
    rows = tallies_rebuild()
    rebuild_s = time.perf_counter() - start
    raw_s = min(raw_group_by() for _ in range(2))
    officer = User.objects.filter(username="scale-officer").first() or user_create(
        username="scale-officer", password="bench-only-password-2026", display_name="Cán bộ tỉnh",
        role=Role.PROVINCE_OFFICER, unit=built["province"], actor_id=None,
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    mark_client_verified(client)  # past the sign-in's code step, as the officer would be
    figures = {}
    for level in ("province", "commune", "village"):
        log(f"timing the {level} dashboard…")
        dashboard = time_dashboard(client, built[level])
        naive = time_naive(built[level])
        figures[level] = {
            "dashboard": dashboard, "naive_group_by": naive,
            "speedup_p50": round(naive["p50_ms"] / dashboard["p50_ms"], 1) if dashboard["p50_ms"] else None,
        }
    check_start = time.perf_counter()
    differing = tallies_check().differing
    print(json.dumps({
        "benchmark": "dashboard",
        "database": connection.vendor,
        "households": HOUSEHOLDS, "assists": ASSISTS, "villages": 3000,
        "build_s": built["timings"],
        "tally_rows": rows, "tally_table_rows": Tally.objects.count(),
        "rebuild_s": round(rebuild_s, 2), "raw_group_by_s": round(raw_s, 2),
        "rebuild_over_raw": round(rebuild_s / raw_s, 2) if raw_s else None,
        "check_s": round(time.perf_counter() - check_start, 2), "check_differing_rows": differing,
        "requests_per_figure": REPEAT,
        "load_average": os.getloadavg()[0],
        **figures,
    }, indent=2))


if __name__ == "__main__":
    main()
