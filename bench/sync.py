"""POST /api/v1/sync over HTTP on loopback: new events/s, resent duplicates/s, beside a raw insert.

Load (say which, as the design notes ask): one member whose scope is 3 villages of one commune,
300 households (100 per village, a third with consent and names, 3 residents each, some adoption).
Each batch is 1,000 events from that member's phone, spread over the 300 households.
  plain   refused / partly / done without a resident, households without open follow-ups: one
          executemany for the assists, one for their audit rows, one tally upsert per batch;
  mixed   the same with 20% "done for a resident" (their adoption goes up for the whole batch at
          once) and 5% "needs follow-up" (the follow-ups open with one insert); a later "done" on
          a household with an open follow-up closes it through outreach's services, one by one.
A real server (gunicorn, gthread, DEBUG off) and a client of N threads with keep-alive connections,
each phone sending its cursor back as a phone would, on the same 2-core machine, 127.0.0.1 only.
Bounded: a fixed number of batches. New plain events run in rounds of their own events, each into
the table the rounds before it filled (a round's rate falls as the table grows, and moves with where
the phones' connections land); the figures are the median round.

Before each round, the raw insert writes the same assist rows (ids, columns) into outreach_assist
with executemany, 1,000 rows per transaction, in this process, then deletes them; the ratio is the
median of the rounds' ratios. It runs a second time with the assists' audit rows in the same
transactions, as the sync writes them: SQLite takes one writer at a time, so that figure is the
most new events per second the sync could store, however fast the rest of its path.

  python bench/sync.py [--batches N] [--rounds R] [--connections C] [--workers W] [--threads T] [--mixed-batches M]

Prints one JSON object.
"""

import argparse
import datetime as dt
import gzip
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from _setup import django_on_fresh_database

HOST = "127.0.0.1"
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--batches", type=int, default=60, help="batches of 1,000 new plain events, per round")
parser.add_argument("--rounds", type=int, default=3, help="rounds of new plain events (the median is the figure)")
parser.add_argument("--mixed-batches", type=int, default=10, help="batches of 1,000 mixed events")
parser.add_argument("--connections", type=int, default=4)
parser.add_argument("--workers", type=int, default=2)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()

django_on_fresh_database()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from congdongso.accounts.models import Role  # noqa: E402
from congdongso.accounts.services import device_token_issue, role_assign  # noqa: E402
from congdongso.audit.models import AuditEvent  # noqa: E402
from congdongso.catalog.models import Adoption, AdoptionState, Service  # noqa: E402
from congdongso.common.ids import new_id, new_ids  # noqa: E402
from congdongso.households.models import Household, Resident  # noqa: E402
from congdongso.indicators.services import tallies_check, tallies_rebuild  # noqa: E402
from congdongso.testing import factories  # noqa: E402

CODES = ["vneid-level2", "cashless-account", "online-shopping", "scam-awareness", "telehealth"]


def build_member() -> dict:
    commune = factories.commune(factories.province())
    villages = [factories.village(commune) for _ in range(3)]
    member = factories.user(Role.MEMBER, villages[0], username="bench-member")
    for village in villages[1:]:
        role_assign(user=member, role=Role.MEMBER, unit=village, actor_id=None)
    household_ids = new_ids(300)
    Household.objects.bulk_create([
        Household(id=pk, village=villages[n % 3], resident_count=3, has_consent=n % 3 == 0,
                  head_name=f"Nguyễn Văn Hộ {n}" if n % 3 == 0 else "",
                  phone=f"+8491234{n:04d}" if n % 3 == 0 else "",
                  address_line=f"Tổ {n % 12}, thôn {n % 3 + 1}" if n % 3 == 0 else "",
                  is_poor=n % 7 == 0, has_elderly=n % 2 == 0, is_business=n % 5 == 0, missing_skills=5)
        for n, pk in enumerate(household_ids)
    ])
    residents = [
        Resident(id=rid, household_id=hid, device="smartphone" if k else "feature_phone", sex="female" if k % 2 else "male",
                 display_name=f"Người {n}-{k}" if n % 3 == 0 else "", birth_year=1950 + (n + 17 * k) % 60 if n % 3 == 0 else None)
        for n, hid in enumerate(household_ids) for k, rid in enumerate(new_ids(3))
    ]
    Resident.objects.bulk_create(residents)
    services = list(Service.objects.filter(code__in=CODES[:3]))
    Adoption.objects.bulk_create([
        Adoption(resident=r, service=s, state=AdoptionState.ASSISTED, first_assisted_at=timezone.now())
        for r in residents[::3] for s in services
    ])
    tallies_rebuild()
    # The scope was set up before today's work (not in the last minute, which later syncs send again).
    yesterday = timezone.now() - dt.timedelta(days=1)
    Household.objects.update(updated_at=yesterday, created_at=yesterday)
    Resident.objects.update(updated_at=yesterday)
    Adoption.objects.update(updated_at=yesterday)
    device_id = new_id()
    _device, token = device_token_issue(user=member, device_id=device_id)
    return {"member": member, "households": [str(h) for h in household_ids], "device_id": str(device_id),
            "token": token, "residents": {str(r.household_id): str(r.pk) for r in residents}}


def make_batches(member: dict, count: int, mixed: bool, start_minutes: int) -> list[list[dict]]:
    now = dt.datetime.now(dt.UTC)
    households = member["households"]
    outcomes = ["refused", "partly", "done"]
    batches = []
    for b in range(count):
        events = []
        for n, event_id in enumerate(new_ids(1000)):
            household = households[(n * 7 + b) % 300]
            payload = {"household_id": household, "services": [CODES[(n + b) % 5]], "outcome": outcomes[n % 3],
                       "channel": "door"}
            if mixed and n % 20 == 0:
                payload["outcome"] = "needs_follow_up"
            elif mixed and n % 5 == 1:
                payload.update(outcome="done", resident_id=member["residents"][household], independent=n % 2 == 0)
            occurred = now - dt.timedelta(minutes=start_minutes + b * 1000 + n, seconds=n % 60)
            events.append({"id": str(event_id), "type": "assist", "occurred_at": occurred.isoformat(),
                           "payload": payload})
        batches.append(events)
    return batches


def raw_insert(batches: list[list[dict]], member: dict, audited: bool = False) -> float:
    """The same assist rows, inserted with executemany (1,000 per transaction) into the table as it
    stands, then deleted again: the floor for the write. With `audited`, each transaction also inserts
    the assists' audit rows, as the sync does (one per assist): the write the sync cannot avoid."""
    from congdongso.indicators.periods import month_of
    from congdongso.outreach.sync import _Adapt

    adapt = _Adapt()
    village_of = dict(Household.objects.values_list("pk", "village_id"))
    sql = (
        "INSERT INTO outreach_assist (id, member_id, household_id, resident_id, village_id, services, outcome, "
        "channel, occurred_at, independent, note, month, campaign_id, received_at) VALUES "
        f"(%s, %s, %s, %s, %s, {adapt.json_placeholder()}, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    audit_sql = (
        "INSERT INTO audit_auditevent (occurred_at, actor_id, action, object_type, object_id, unit_id, details) "
        f"VALUES (%s, %s, %s, %s, %s, %s, {adapt.json_placeholder()})"
    )
    rows, audits = [], []
    for events in batches:
        chunk, audit_chunk = [], []
        for e in events:
            p = e["payload"]
            household = uuid.UUID(p["household_id"])
            occurred = dt.datetime.fromisoformat(e["occurred_at"])
            now = adapt.moment(timezone.now())
            chunk.append((
                adapt.uuid(uuid.UUID(e["id"])), member["member"].pk, adapt.uuid(household), None,
                village_of[household], json.dumps(p["services"]), p["outcome"], p["channel"], adapt.moment(occurred),
                False, "", month_of(occurred), None, now,
            ))
            if audited:
                details = json.dumps({"outcome": p["outcome"], "services": p["services"]})
                audit_chunk.append((now, member["member"].pk, "assist.record", "outreach.assist", e["id"],
                                    village_of[household], details))
        rows.append(chunk)
        audits.append(audit_chunk)
    last_audit = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    start = time.perf_counter()
    for chunk, audit_chunk in zip(rows, audits, strict=True):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, chunk)
            if audit_chunk:
                cursor.executemany(audit_sql, audit_chunk)
    seconds = time.perf_counter() - start
    AuditEvent.objects.filter(pk__gt=last_audit).delete()
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in rows:
            cursor.execute(
                f"DELETE FROM outreach_assist WHERE id IN ({', '.join(['%s'] * len(chunk))})", [row[0] for row in chunk]
            )
    return seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("CONGDONGSO_TESTING", None)
    env.update({"SECRET_KEY": secrets.token_urlsafe(40), "ALLOWED_HOSTS": HOST, "DEBUG": "0", "LOG_LEVEL": "WARNING",
                # Plain HTTP on loopback stands for the app behind a TLS-ending proxy: no redirect.
                "SECURE_SSL_REDIRECT": "0",
                "DJANGO_SETTINGS_MODULE": "congdongso.settings"})
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "congdongso.wsgi:application", "--bind", f"{HOST}:{port}", "--worker-class", "gthread",
         "--workers", str(args.workers), "--threads", str(args.threads), "--keep-alive", "30", "--timeout", "120",
         "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection(HOST, port, timeout=2)
            probe.request("GET", "/api/v1/openapi.json")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit("the server did not start: " + server.stderr.read().decode()[-2000:])
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


class Phone:
    def __init__(self, port: int, member: dict):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=300)
        self.member = member
        self.cursor = None
        self.bytes_in = 0

    def send(self, events: list[dict], gzip_ok: bool = True) -> dict:
        body = json.dumps({"device_id": self.member["device_id"], "cursor": self.cursor, "events": events}).encode()
        headers = {"Authorization": f"Bearer {self.member['token']}", "Content-Type": "application/json"}
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        self.conn.request("POST", "/api/v1/sync", body=body, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        self.bytes_in += len(raw)
        if response.status != 200:
            raise SystemExit(f"sync answered {response.status}: {raw[:500]!r}")
        if response.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        answer = json.loads(raw)
        self.cursor = answer["cursor"]
        return answer


def run(port: int, member: dict, batches: list[list[dict]], expect: str) -> float:
    """Send the batches over `args.connections` phones (threads) at once; seconds for all of them."""
    phones = [Phone(port, member) for _ in range(args.connections)]
    for phone in phones:  # each phone's first sync, before the clock starts
        while phone.send([]).get("more"):
            pass
    queue = list(enumerate(batches))
    lock = threading.Lock()
    wrong: list = []

    def work(phone: Phone) -> None:
        while True:
            with lock:
                if not queue:
                    return
                _n, events = queue.pop()
            answer = phone.send(events)
            statuses = {r["status"] for r in answer["results"]}
            if statuses != {expect}:
                wrong.append(statuses)

    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    if wrong:
        raise SystemExit(f"unexpected answers: {wrong[:3]}")
    return seconds


def first_sync_bytes(port: int, member: dict) -> dict:
    phone = Phone(port, member)
    pages, raw_bytes, households = 0, 0, 0
    phone.conn.request("POST", "/api/v1/sync", body=json.dumps({"device_id": member["device_id"], "events": []}),
                       headers={"Authorization": f"Bearer {member['token']}", "Content-Type": "application/json",
                                "Accept-Encoding": "gzip"})
    response = phone.conn.getresponse()
    gz = response.read()
    raw = gzip.decompress(gz) if response.getheader("Content-Encoding") == "gzip" else gz
    answer = json.loads(raw)
    pages, raw_bytes, gz_bytes, households = 1, len(raw), len(gz), len(answer["changes"]["households"])
    phone.cursor = answer["cursor"]
    while answer["more"]:
        before = phone.bytes_in
        answer = phone.send([])
        pages += 1
        gz_bytes += phone.bytes_in - before
        households += len(answer["changes"]["households"])
    return {"first_sync_households": households, "first_sync_pages": pages, "first_sync_bytes": raw_bytes,
            "first_sync_bytes_gzipped": gz_bytes}


def main() -> None:
    member = build_member()
    # Rounds of their own events (ids and times): one round's rate moves with where the scheduler puts
    # the phones' connections and threads, so the figure is the median of several.
    # Each round goes into a table the rounds before it have filled, and so does its raw insert.
    rounds = [make_batches(member, args.batches, mixed=False, start_minutes=r * 100_000) for r in range(args.rounds)]
    mixed = make_batches(member, args.mixed_batches, mixed=True, start_minutes=10**6)
    plain = rounds[0]
    events = sum(len(b) for b in plain)
    load_before = round(os.getloadavg()[0], 2)
    port = free_port()
    server = start_server(port)
    try:
        payload = first_sync_bytes(port, member)
        new_rates, raw_rates, audited_rates = [], [], []
        for batches in rounds:
            raw_rates.append(events / raw_insert(batches, member))
            audited_rates.append(events / raw_insert(batches, member, audited=True))
            new_rates.append(events / run(port, member, batches, "accepted"))
        dup_seconds = run(port, member, plain, "duplicate")
        mixed_seconds = run(port, member, mixed, "accepted") if mixed else 0.0
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    check = tallies_check()
    new_rate, raw_rate = statistics.median(new_rates), statistics.median(raw_rates)
    ratio = statistics.median(new / raw for new, raw in zip(new_rates, raw_rates, strict=True))
    print(json.dumps({
        "bench": "sync",
        "database": connection.vendor,
        "load": "one member, scope 3 villages of one commune, 300 households; batches of 1,000 assists spread over "
                "the 300 households; 'plain' = no adoption or follow-ups, 'mixed' = 20% adoption raises + 5% "
                "follow-ups opened (and closed by later batches)",
        "server": f"gunicorn 27.0.1, gthread, {args.workers} workers x {args.threads} threads, DEBUG off",
        "client": f"{args.connections} threads with keep-alive connections, each a phone sending its cursor, "
                  "127.0.0.1, same 2-core machine",
        "events": events,
        "rounds": args.rounds,
        "new_events_per_s": round(new_rate),
        "new_events_per_s_rounds": [round(rate) for rate in new_rates],
        "raw_insert_rows_per_s_rounds": [round(rate) for rate in raw_rates],
        # The same inserts with the assists' audit rows: SQLite lets one writer in at a time, so this
        # is as fast as new events can be stored however the rest of the path is made.
        "raw_insert_with_audit_rows_per_s": round(statistics.median(audited_rates)),
        "duplicate_events_per_s": round(events / dup_seconds),
        "mixed_events": sum(len(b) for b in mixed),
        "mixed_new_events_per_s": round(sum(len(b) for b in mixed) / mixed_seconds) if mixed else None,
        "raw_insert_rows_per_s": round(raw_rate),
        "ratio_new_to_raw_insert": round(ratio, 3),
        **payload,
        "tallies_differing_rows_after": check.differing,
        "load_average_1m_before": load_before,
        "load_average_1m_after": round(os.getloadavg()[0], 2),
    }))


if __name__ == "__main__":
    main()
