"""Public scam lookup over HTTP on loopback, with 1M entities in the table.

Load: 1,000,000 entities (60% phone numbers, 20% websites, 10% bank accounts, 10% social accounts)
written with bulk SQL (executemany in one transaction on SQLite, COPY on PostgreSQL). Then a real
server process (gunicorn, gthread workers, DEBUG off) serves GET /api/v1/scams/lookup?q=..., and an
asyncio load generator in this process drives it over keep-alive connections on 127.0.0.1 only,
bounded in requests and in time. Queries: half hit an entity (written the way people type it:
"0900 012 345", "https://www.lua-dao-7.vn/x", "Vietcombank 000000000123"), half miss.

  python bench/scam_lookup.py [--entities N] [--seconds S] [--connections C] [--workers W] [--threads T]

Prints one JSON object: entities, load rate, server and client set-up, lookups/s, p50/p99 latency.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from _setup import django_on_fresh_database

BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
MAX_REQUESTS = 2_000_000  # hard bound, whatever the duration

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--entities", type=int, default=1_000_000)
parser.add_argument("--seconds", type=float, default=10.0)
parser.add_argument("--warmup", type=float, default=2.0)
parser.add_argument("--connections", type=int, default=16)
parser.add_argument("--workers", type=int, default=2)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--conn-max-age", type=int, default=None, help="keep DB connections open (seconds)")
args = parser.parse_args()

django_on_fresh_database()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from congdongso.scams.models import Tactic  # noqa: E402

COLUMNS = (
    "kind", "key", "value", "display", "bank_bin", "platform", "domain", "status", "listed_status",
    "report_count", "tactic_id", "first_seen", "last_seen", "merged_into_id", "updated_at",
)
STATUSES = ("confirmed", "verifying", "no_reports")


def entity_row(i: int, tactic_ids: list[int], now) -> tuple:
    status = STATUSES[i % 3]
    tactic = tactic_ids[i % len(tactic_ids)] if status == "confirmed" and tactic_ids else None
    slot = i % 10
    if slot < 6:
        e164 = f"+849{i:08d}"
        values = ("phone", f"phone:{e164}", e164, f"09{i:08d}", "", "", "")
    elif slot < 8:
        host = f"lua-dao-{i}.vn"
        values = ("website", f"web:{host}", host, host, "", "", host)
    elif slot < 9:
        number = f"{i:012d}"
        values = ("bank_account", f"bank:970436:{number}", number, f"Vietcombank · {number}", "970436", "", "")
    else:
        handle = f"nguoi{i}"
        values = ("social", f"social:facebook:{handle}", handle, f"Facebook: {handle}", "", "facebook", "")
    listed = status if status != "no_reports" else ""
    return (*values, status, listed, (i % 7) + 1, tactic, now, now, None, now)


def typed_form(i: int) -> str:
    """How a person would type entity i into the box."""
    slot = i % 10
    if slot < 6:
        digits = f"09{i:08d}"
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if slot < 8:
        return f"https://www.lua-dao-{i}.vn/dang-nhap?ref=zalo"
    if slot < 9:
        return f"Vietcombank {i:012d}"
    return f"https://facebook.com/nguoi{i}"


def load(n: int) -> float:
    tactic_ids = list(Tactic.objects.values_list("pk", flat=True))
    now = timezone.now()
    start = time.perf_counter()
    batch = 50_000
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg 3: COPY
                with raw.copy(f"COPY scams_entity ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for i in range(n):
                        copy.write_row(entity_row(i, tactic_ids, now))
            else:
                sql = (
                    f"INSERT INTO scams_entity ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
                )
                for offset in range(0, n, batch):
                    cursor.executemany(
                        sql, [entity_row(i, tactic_ids, now) for i in range(offset, min(n, offset + batch))]
                    )
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("CONGDONGSO_TESTING", None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "_scam_settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": HOST,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    })
    if args.conn_max_age is not None:
        env["SCAM_BENCH_CONN_MAX_AGE"] = str(args.conn_max_age)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "congdongso.wsgi:application", "--bind", f"{HOST}:{port}", "--worker-class", "gthread",
        "--workers", str(args.workers), "--threads", str(args.threads), "--keep-alive", "30",
        "--log-level", "warning", "--max-requests", "0",
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5) as s:
                s.sendall(b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return server
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit("the server did not start: " + server.stderr.read().decode()[-2000:])
    server.terminate()
    raise SystemExit("the server did not answer /health/ within 30 s")


def cpu_seconds(root: int) -> float:
    """User + system CPU of a process and its children (gunicorn's master and workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            pending += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


async def one_connection(port: int, paths: list[bytes], stop_at: float, latencies: list, statuses: dict, counter: list):
    reader, writer = await asyncio.open_connection(HOST, port)
    rng = random.Random(len(latencies) + id(latencies))
    try:
        while time.perf_counter() < stop_at and counter[0] < MAX_REQUESTS:
            counter[0] += 1
            path = paths[rng.randrange(len(paths))]
            started = time.perf_counter()
            writer.write(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            status = int(head[9:12])
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def drive(port: int, paths: list[bytes], seconds: float) -> tuple[list[float], dict, float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = [0]
    start = time.perf_counter()
    stop_at = start + seconds
    await asyncio.gather(
        *(one_connection(port, paths, stop_at, latencies, statuses, counter) for _ in range(args.connections))
    )
    return latencies, statuses, time.perf_counter() - start


def main() -> None:
    load_seconds = load(args.entities)
    rng = random.Random(11)
    queries = [typed_form(rng.randrange(args.entities)) for _ in range(5000)]
    # Misses: numbers, sites and accounts nobody reported.
    queries += [f"0987 {rng.randrange(10**6):06d}" for _ in range(2500)]
    queries += [f"https://khong-co-{rng.randrange(10**9)}.com.vn/" for _ in range(2500)]
    paths = [b"/api/v1/scams/lookup?q=" + urllib.parse.quote(q).encode() for q in queries]

    load_before = round(os.getloadavg()[0], 2)
    port = free_port()
    server = start_server(port)
    try:
        asyncio.run(drive(port, paths, args.warmup))
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        latencies, statuses, elapsed = asyncio.run(drive(port, paths, args.seconds))
        server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu, time.process_time() - client_cpu
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    latencies.sort()
    ms = [value * 1000 for value in latencies]
    print(json.dumps({
        "bench": "scam_lookup",
        "database": connection.vendor,
        "entities": args.entities,
        "load_seconds": round(load_seconds, 1),
        "load_rows_per_s": round(args.entities / load_seconds),
        "server": f"gunicorn 27.0.1, gthread, {args.workers} workers x {args.threads} threads, DEBUG off",
        "conn_max_age": args.conn_max_age if args.conn_max_age is not None else "as shipped",
        "client": f"asyncio in this process, {args.connections} keep-alive connections, 127.0.0.1, same 2-core machine",
        "queries": "50% hits typed as people type them (phone, URL, bank + number, profile link), 50% misses",
        "seconds": round(elapsed, 2),
        "lookups": len(latencies),
        "lookups_per_s": round(len(latencies) / elapsed),
        "p50_ms": round(statistics.median(ms), 2) if ms else None,
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2) if ms else None,
        "max_ms": round(ms[-1], 2) if ms else None,
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        # CPU per lookup does not depend on how busy the machine is: 2 cores / (server + client CPU)
        # is the rate this machine could reach with nothing else running.
        "server_cpu_ms_per_lookup": round(server_cpu * 1000 / max(1, len(latencies)), 3),
        "client_cpu_ms_per_lookup": round(client_cpu * 1000 / max(1, len(latencies)), 3),
        # Other work on the machine skews every figure above: say how busy it was.
        "load_average_1m_before": load_before,
        "load_average_1m_after": round(os.getloadavg()[0], 2),
    }))


main()
