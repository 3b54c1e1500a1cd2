"""Twenty phones syncing at once against the default SQLite setup (WAL, IMMEDIATE transactions, busy
timeout): no client gets "database is locked" or any error (the server may wait and run a batch
again), nothing is lost or doubled, and the tallies equal a rebuild. A real gunicorn (2 workers x 4
threads), not the test client."""

import datetime as dt
import sqlite3
import subprocess
import threading

import pytest

from congdongso.common.ids import new_ids
from congdongso.outreach.tests.live_server import BIN, Server, _env, live_database, migrated_database, populate, sync

__all__ = ["live_database", "migrated_database"]  # fixtures

pytestmark = pytest.mark.slow

CLIENTS, BATCHES, PER_BATCH = 20, 3, 150


def _batches(member: dict) -> list[dict]:
    now = dt.datetime.now(dt.UTC)
    outcomes = ["refused", "done", "partly", "refused", "needs_follow_up", "done"]
    batches = []
    for b in range(BATCHES):
        events = [
            {"id": str(event_id), "type": "assist", "occurred_at": (now - dt.timedelta(minutes=n + 200 * b)).isoformat(),
             "payload": {"household_id": member["households"][n % len(member["households"])],
                         "services": ["vneid-level2", "scam-awareness"][: 1 + n % 2], "outcome": outcomes[n % 6]}}
            for n, event_id in enumerate(new_ids(PER_BATCH))
        ]
        events.append({"id": str(new_ids(1)[0]), "type": "household_edit", "occurred_at": now.isoformat(),
                       "payload": {"household_id": member["households"][b], "fields": {"has_elderly": True}}})
        batches.append({"device_id": member["device_id"], "cursor": None, "events": events})
    return batches


def test_twenty_clients_at_once_lose_nothing_and_see_no_lock_error(live_database):
    members = populate(live_database, members=CLIENTS, households=8)
    plans = [_batches(member) for member in members]
    server = Server(live_database, workers=2, threads=4)
    start = threading.Barrier(CLIENTS)
    answers: dict[int, list] = {n: [] for n in range(CLIENTS)}

    def phone(n: int) -> None:
        start.wait()
        cursor = None
        for body in [*plans[n], plans[n][-1]]:  # the last batch twice: the resend of a lost answer
            try:
                answers[n].append(sync(server.url, members[n]["token"], {**body, "cursor": cursor}))
            except Exception as exc:  # noqa: BLE001 (any failure is what this test looks for)
                answers[n].append((0, {"error": repr(exc)}))
            cursor = answers[n][-1][1].get("cursor", cursor)

    try:
        threads = [threading.Thread(target=phone, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
    finally:
        server.stop()
    log = server.output()
    for n in range(CLIENTS):
        statuses = [status for status, _body in answers[n]]
        assert statuses == [200] * (BATCHES + 1), (n, answers[n][-1], log[-3000:])
        *first, resend = [[r["status"] for r in body["results"]] for _status, body in answers[n]]
        assert all(set(batch) == {"accepted"} for batch in first)
        assert set(resend) == {"duplicate"}
    # What the phones see is what counts (above: every answer 200, nothing refused, nothing lost). On a
    # saturated machine a writer may wait past SQLite's busy timeout; the server then runs the batch
    # again (logged as "retried") instead of answering an error. A crash would show a traceback.
    assert "Traceback" not in log, log[-3000:]
    with sqlite3.connect(live_database) as db:
        assert db.execute("SELECT COUNT(*) FROM outreach_assist").fetchone()[0] == CLIENTS * BATCHES * PER_BATCH
        assert db.execute("SELECT COUNT(*) FROM outreach_syncevent").fetchone()[0] == CLIENTS * BATCHES
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    check = subprocess.run([str(BIN / "congdongso"), "rebuild_tallies", "--check", "-v", "0"], env=_env(live_database),
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0 and '"differing_rows": 0' in check.stdout, check.stdout + check.stderr
