"""Write turns: threads of one process take turns, and so do processes (through the lock file); where
turns do not apply (PostgreSQL, in-memory SQLite) the block simply runs."""

import subprocess
import sys
import threading
import time

from congdongso.common import write_turn as turns


def test_threads_take_turns(tmp_path, monkeypatch):
    monkeypatch.setattr(turns, "lock_path", lambda: str(tmp_path / "db-write-turn"))
    inside, most = [0], [0]
    guard = threading.Lock()

    def work() -> None:
        for _ in range(20):
            with turns.write_turn():
                with guard:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.001)
                with guard:
                    inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


def test_a_process_holding_the_turn_makes_us_wait(tmp_path, monkeypatch):
    path = str(tmp_path / "db-write-turn")
    monkeypatch.setattr(turns, "lock_path", lambda: path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         f"fd = os.open({path!r}, os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('held', flush=True)\n"
         "time.sleep(0.6)\n"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        with turns.write_turn():
            waited = time.monotonic() - start
    finally:
        holder.wait(timeout=10)
    assert waited >= 0.3


def test_no_turn_on_an_in_memory_database(db):
    # The test database is SQLite in memory (or PostgreSQL): nothing to queue on.
    assert turns.lock_path() is None
    with turns.write_turn():
        pass
