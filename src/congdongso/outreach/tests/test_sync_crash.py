"""A batch cut short by killing the server process mid-request leaves nothing; after a restart the
phone sends it again and every event is stored exactly once (a real gunicorn over a file SQLite)."""

import sqlite3
import subprocess
import threading
import time

import pytest

from congdongso.common.ids import new_ids
from congdongso.outreach.tests.live_server import BIN, Server, _env, live_database, migrated_database, populate, sync

__all__ = ["live_database", "migrated_database"]  # fixtures

pytestmark = pytest.mark.slow


def _batch(member: dict, count: int) -> dict:
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    outcomes = ["refused", "done", "partly", "needs_follow_up"]
    events = [
        {"id": str(event_id), "type": "assist", "occurred_at": (now - dt.timedelta(minutes=n)).isoformat(),
         "payload": {"household_id": member["households"][n % len(member["households"])],
                     "services": ["vneid-level2"], "outcome": outcomes[n % 4]}}
        for n, event_id in enumerate(new_ids(count))
    ]
    events.append({"id": str(new_ids(1)[0]), "type": "household_edit", "occurred_at": now.isoformat(),
                   "payload": {"household_id": member["households"][0], "fields": {"is_poor": True, "resident_count": 3}}})
    return {"device_id": member["device_id"], "cursor": None, "events": events}


def _count(database, table: str) -> int:
    with sqlite3.connect(database) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 (a fixed table name)


def test_a_killed_server_leaves_all_or_nothing_and_a_resend_stores_once(live_database):
    [member] = populate(live_database, members=1, households=30)
    body = _batch(member, 400)
    marker = live_database.parent / "sync-paused"
    server = Server(live_database, CONGDONGSO_SYNC_PAUSE_SECONDS="60")
    outcome: dict = {}

    def send():
        try:
            outcome["answer"] = sync(server.url, member["token"], body)
        except Exception as exc:  # the connection dies with the server
            outcome["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.05)
    server.kill()  # inside the batch's transaction: its writes are done, the commit is not
    sender.join(timeout=30)
    assert "error" in outcome and "answer" not in outcome
    assert _count(live_database, "outreach_assist") == 0
    assert _count(live_database, "outreach_syncevent") == 0

    marker.unlink()
    server = Server(live_database)
    try:
        status, answer = sync(server.url, member["token"], body)
        assert status == 200
        assert [r["status"] for r in answer["results"]] == ["accepted"] * len(body["events"])
        status, again = sync(server.url, member["token"], body)
        assert [r["status"] for r in again["results"]] == ["duplicate"] * len(body["events"])
    finally:
        server.stop()
    assert _count(live_database, "outreach_assist") == 400
    assert _count(live_database, "outreach_syncevent") == 1
    check = subprocess.run([str(BIN / "congdongso"), "rebuild_tallies", "--check", "-v", "0"], env=_env(live_database),
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0 and '"differing_rows": 0' in check.stdout, check.stdout + check.stderr
