"""Public scam lookup over HTTP on loopback, with 1M entities in the table.

Load: 1,000,000 entities (60% phone numbers, 20% websites, 10% bank accounts, 10% social accounts)
written with bulk SQL (executemany in one transaction on SQLite, COPY on PostgreSQL). Then a real
server process (gunicorn, gthread workers, DEBUG off) serves GET /api/v1/scams/lookup?q=..., and an
asyncio load generator in this process (one protocol object per keep-alive connection, one request
in flight on each, no pipelining) drives it on 127.0.0.1 only, bounded in requests and in time.
Queries: 10,000 distinct, half hit an entity (written the way people type it: "0900 012 345",
"https://www.lua-dao-7.vn/x", "Vietcombank 000000000123"), half miss; each connection picks them
uniformly at random with its own seed. Before the timed run a sample of hits and misses is checked
(status and body) so a fast wrong answer cannot pass for a fast right one.

Variants, each a fresh server over the same database, each given --warmup seconds (10) of the same
load before the measured --seconds (10) (--variants, all three by default):
  shipped   the WSGI application as deployed: the lookup's fast path, its answer cache (5 s) and
            the lookup's memory of parsed inputs. Both caches pay off because the 10,000 queries
            repeat (as a number going round a village does): read this figure as a hot set's.
  no-cache  the fast path with both caches off (SCAMS_LOOKUP_CACHE_SECONDS=0,
            SCAMS_LOOKUP_PARSE_CACHE_SIZE=0): every lookup parses, queries and serialises, as
            queries nobody typed before do
  django    the fast path and both caches off: Django's middleware and django-ninja, the path as it
            was before the fast path

  [CONGDONGSO_VAR=DIR] python bench/scam_lookup.py [--entities N] [--seconds S] [--warmup S]
      [--connections C] [--workers W] [--threads T] [--variants shipped,no-cache,django]

With CONGDONGSO_VAR (or DATABASE_URL) naming a database this bench already loaded, the load is skipped.

Prints one JSON object: entities, load rate, server and client set-up, and per variant lookups/s,
p50/p99 latency, CPU per lookup of the server and of the client, and the load average around it. The
machine is shared: the lookups/s a busy machine allows is printed beside the rate its 2 cores would
allow with nothing else running (2 / (server + client [+ PostgreSQL server] CPU per lookup)), an
estimate, named as such.
"""

import argparse
import asyncio
import http.client
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
parser.add_argument("--warmup", type=float, default=10.0)
parser.add_argument("--connections", type=int, default=16)
parser.add_argument("--workers", type=int, default=2)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--conn-max-age", type=int, default=None, help="keep DB connections open (seconds)")
parser.add_argument("--variants", default="shipped,no-cache,django")
args = parser.parse_args()
VARIANTS = {
    "shipped": {},
    "no-cache": {"SCAM_BENCH_CACHES": "off"},
    "django": {"SCAM_BENCH_FAST_PATH": "off", "SCAM_BENCH_CACHES": "off"},
}
chosen = [v.strip() for v in args.variants.split(",") if v.strip()]
if not chosen or any(v not in VARIANTS for v in chosen):
    parser.error(f"--variants: a comma-separated choice of {', '.join(VARIANTS)}")

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


def start_server(port: int, variant_env: dict) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("CONGDONGSO_TESTING", None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "_scam_settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": HOST,
        "DEBUG": "0",
        # Plain HTTP on loopback stands for the app behind a TLS-ending proxy: no redirect to HTTPS.
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        **variant_env,
    })
    if args.conn_max_age is not None:
        env["SCAM_BENCH_CONN_MAX_AGE"] = str(args.conn_max_age)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "congdongso.wsgi:application", "--bind", f"{HOST}:{port}", "--worker-class", "gthread",
        "--workers", str(args.workers), "--threads", str(args.threads), "--keep-alive", "30",
        "--log-level", "warning", "--max-requests", "0",
        # The app loads once, before the workers fork: every worker is ready when /health/ first
        # answers, so the keep-alive connections opened then spread over all of them (without it, a
        # worker still starting can leave every connection to the other, and the run uses one core).
        "--preload",
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


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


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


def database_backends() -> list[int]:
    """PostgreSQL: the server processes serving this database to others than us (the gunicorn
    workers' connections), whose CPU is spent on the same 2 cores; SQLite runs inside the workers."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def process_cpu(pids: list[int]) -> float:
    return sum(cpu_seconds_of(pid) for pid in pids)


def cpu_seconds_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def check_answers(port: int, samples: list[tuple[str, int | None]]) -> None:
    """Hits answer the status the entity was loaded with, misses answer no_reports; else stop."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        for query, entity in samples:
            conn.request("GET", "/api/v1/scams/lookup?q=" + urllib.parse.quote(query), headers={"Host": HOST})
            response = conn.getresponse()
            raw = response.read()
            try:
                body = json.loads(raw)
            except ValueError:
                raise SystemExit(f"not JSON for {query!r}: {response.status} {raw[:300]!r}") from None
            wanted = STATUSES[entity % 3] if entity is not None else "no_reports"
            if response.status != 200 or body["status"] != wanted or not body["recognised"]:
                raise SystemExit(f"wrong answer for {query!r}: {response.status} {body.get('status')} (wanted {wanted})")
    finally:
        conn.close()


class Client(asyncio.Protocol):
    """One keep-alive connection: send a request, read its answer (by Content-Length), send the next."""

    def __init__(self, run: "Run", seed: int):
        self.run, self.rng = run, random.Random(seed)
        self.buffer, self.need, self.started, self.transport = b"", 0, 0.0, None

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.send()

    def send(self) -> None:
        run = self.run
        if time.perf_counter() >= run.stop_at or run.sent >= MAX_REQUESTS:
            self.transport.close()
            return
        run.sent += 1
        path = run.paths[self.rng.randrange(len(run.paths))]
        self.started = time.perf_counter()
        self.transport.write(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if not self.need:
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                length = 0
                for line in self.buffer[:end].split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                self.status = int(self.buffer[9:12])
                self.need = end + 4 + length
            if len(self.buffer) < self.need:
                return
            self.run.latencies.append(time.perf_counter() - self.started)
            self.run.statuses[self.status] = self.run.statuses.get(self.status, 0) + 1
            self.buffer, self.need = self.buffer[self.need:], 0
            self.send()

    def connection_lost(self, exc) -> None:
        if not self.run.done.done() and all(c.transport.is_closing() for c in self.run.clients):
            self.run.done.set_result(None)


class Run:
    def __init__(self, paths: list[bytes], seconds: float, seed: int):
        self.paths, self.seconds, self.seed = paths, seconds, seed
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.sent = 0
        self.clients: list[Client] = []

    async def drive(self, port: int) -> float:
        loop = asyncio.get_running_loop()
        self.done = loop.create_future()
        start = time.perf_counter()
        self.stop_at = start + self.seconds
        for index in range(args.connections):
            client = Client(self, self.seed * 1000 + index)
            self.clients.append(client)
        await asyncio.gather(*(loop.create_connection(lambda c=c: c, HOST, port) for c in self.clients))
        await asyncio.wait_for(self.done, timeout=self.seconds + 60)
        return time.perf_counter() - start


def measure(variant: str, paths: list[bytes], samples: list) -> dict:
    port = free_port()
    server = start_server(port, VARIANTS[variant])
    try:
        check_answers(port, samples)
        asyncio.run(Run(paths, args.warmup, seed=1).drive(port))
        load_before = os.getloadavg()[0]
        backends = database_backends()
        server_cpu, client_cpu, database_cpu = cpu_seconds(server.pid), time.process_time(), process_cpu(backends)
        run = Run(paths, args.seconds, seed=2)
        elapsed = asyncio.run(run.drive(port))
        server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu, time.process_time() - client_cpu
        database_cpu = process_cpu(backends) - database_cpu
        load_after = os.getloadavg()[0]
    finally:
        stop_server(server)
    ms = sorted(value * 1000 for value in run.latencies)
    n = max(1, len(ms))
    server_ms, client_ms, database_ms = server_cpu * 1000 / n, client_cpu * 1000 / n, database_cpu * 1000 / n
    return {
        "lookups": len(ms),
        "seconds": round(elapsed, 2),
        "lookups_per_s": round(len(ms) / elapsed),
        "p50_ms": round(statistics.median(ms), 2) if ms else None,
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2) if ms else None,
        "max_ms": round(ms[-1], 2) if ms else None,
        "status_counts": {str(k): v for k, v in sorted(run.statuses.items())},
        # CPU per lookup depends far less on how busy the machine is than the rate does.
        "server_cpu_ms_per_lookup": round(server_ms, 3),
        "client_cpu_ms_per_lookup": round(client_ms, 3),
        **({"database_server_cpu_ms_per_lookup": round(database_ms, 3)} if connection.vendor == "postgresql" else {}),
        "estimate_lookups_per_s_2_idle_cores": round(2000 / (server_ms + client_ms + database_ms)) if ms else None,
        "load_average_1m": [round(load_before, 2), round(load_after, 2)],
    }


def main() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM scams_entity")
        present = cursor.fetchone()[0]
    if present == args.entities:  # CONGDONGSO_VAR (or DATABASE_URL) names a database this bench loaded
        load_seconds = None
    elif present == 0:
        load_seconds = load(args.entities)
    else:
        raise SystemExit(f"the database holds {present} entities, not 0 or {args.entities}")
    rng = random.Random(11)
    hits = [rng.randrange(args.entities) for _ in range(5000)]
    queries = [typed_form(i) for i in hits]
    # Misses: numbers, sites and accounts nobody reported.
    misses = [f"0987 {rng.randrange(10**6):06d}" for _ in range(2500)]
    misses += [f"https://khong-co-{rng.randrange(10**9)}.com.vn/" for _ in range(2500)]
    queries += misses
    paths = [b"/api/v1/scams/lookup?q=" + urllib.parse.quote(q).encode() for q in queries]
    samples = [(typed_form(i), i) for i in hits[:40]] + [(q, None) for q in misses[:10] + misses[-10:]]

    results = {variant: measure(variant, paths, samples) for variant in chosen}
    print(json.dumps({
        "bench": "scam_lookup",
        "database": connection.vendor,
        "entities": args.entities,
        "load_seconds": round(load_seconds, 1) if load_seconds else "reused an already loaded database",
        "load_rows_per_s": round(args.entities / load_seconds) if load_seconds else None,
        "server": f"gunicorn 27.0.1, gthread, {args.workers} workers x {args.threads} threads, keep-alive, DEBUG off",
        "conn_max_age": args.conn_max_age if args.conn_max_age is not None else "as shipped",
        "client": f"asyncio protocols in this process, {args.connections} keep-alive connections (one request in "
                  "flight each), 127.0.0.1, the same 2-core machine",
        "queries": "10,000 distinct, drawn uniformly per connection: 50% hits typed as people type them "
                   "(phone, URL, bank + number, profile link), 50% misses",
        "goal": ">= 3,000 lookups/s, p99 <= 10 ms",
        "warmup_s": args.warmup,
        "cpus": os.cpu_count(),
        **{variant: result for variant, result in results.items()},
    }))


main()
