"""One SQLite writer at a time, queued by the kernel instead of by polling.

SQLite lets one connection write at a time. The others wait in its busy handler, which sleeps 1, 2,
5, 10, 15, 20, 25 … ms between tries, so a sync batch queued behind another (each holds the lock
some 20 ms) often sleeps well past the moment the lock is free. A hot write path takes its turn here
first: a lock shared by the process's threads, then an exclusive `flock` on a file beside the
database shared by the processes; a waiter on either wakes the moment it is released. Other writers
need not take part: they still wait in the busy handler, as before.

Nothing happens on PostgreSQL (row locks), on an in-memory database, or inside a transaction that
is already open (the turn would come too late to matter).
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_threads = threading.Lock()
_files: dict[tuple[int, str], int] = {}  # (pid, lock file) -> descriptor, opened after any fork


def _descriptor(path: str) -> int:
    # flock belongs to an open file description, which a fork shares: each process opens its own.
    key = (os.getpid(), path)
    if key not in _files:
        _files[key] = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    return _files[key]


def lock_path() -> str | None:
    """The lock file of the default database, or None when turns do not apply to it."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    return f"{connection.settings_dict['NAME']}-write-turn"


@contextmanager
def write_turn() -> Iterator[None]:
    path = lock_path()
    if path is None or connection.in_atomic_block:
        yield
        return
    with _threads:
        descriptor = _descriptor(path)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
