"""Backup and restore of the whole database, SQLite or PostgreSQL.

SQLite: the online backup API copies the live database page by page while the site keeps running
(readers and writers wait at most for one batch of pages), and restore copies a backup file back
into the live database through the same API, so open connections see the restored data at once.
PostgreSQL: `pg_dump -Fc` (a consistent snapshot; the custom format is compressed and restorable
table by table) and `pg_restore --clean --if-exists --single-transaction` (all or nothing: a failed
restore leaves the database as it was). The binaries come from the newest /usr/lib/postgresql/*/bin
(as scripts/run-tests finds them), else PATH; PG_BIN_DIR names another directory.

A backup is written to a temporary file beside its target and renamed when complete, so a failed or
interrupted backup never leaves a half file under the chosen name. Nothing here logs data.
"""

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

# (done, total): pages for SQLite, tables for PostgreSQL.
Progress = Callable[[int, int], None]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
SQLITE_PAGES_PER_STEP = 1024  # 4 MB per step with 4 KB pages: writers wait at most that long


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Vietnamese."""


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(
            _("Chỉ sao lưu được SQLite và PostgreSQL, không phải %(vendor)s.") % {"vendor": connection.vendor}
        )
    return connection.vendor


def default_backup_path(using: str = "default") -> Path:
    """var/backups/congdongso-<local time>.<sqlite3|dump>."""
    suffix = "sqlite3" if _vendor(connections[using]) == "sqlite" else "dump"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"congdongso-{stamp}.{suffix}"


def backup(target: Path, *, progress: Progress | None = None, using: str = "default") -> Path:
    """Write a complete backup of the database to `target` (replacing it: the command asks for --yes)."""
    connection = connections[using]
    vendor = _vendor(connection)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    # A backup holds every resident's personal data: readable by its owner only, whatever the umask.
    partial.touch(mode=0o600)
    partial.chmod(0o600)
    try:
        if vendor == "sqlite":
            _sqlite_backup(connection, partial, progress)
        else:
            _pg_dump(connection, partial, progress)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(source: Path, *, progress: Progress | None = None, using: str = "default") -> None:
    """Replace the whole database with the content of a backup made by `backup`."""
    connection = connections[using]
    vendor = _vendor(connection)
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": source})
    with source.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if vendor == "sqlite" and head != SQLITE_MAGIC:
        raise BackupError(_("Tệp %(path)s không phải bản sao lưu SQLite.") % {"path": source})
    if vendor == "postgresql" and not head.startswith(PG_CUSTOM_MAGIC):
        raise BackupError(_("Tệp %(path)s không phải bản sao lưu PostgreSQL (pg_dump -Fc).") % {"path": source})
    if connection.in_atomic_block:
        raise BackupError(_("Không khôi phục được giữa một giao dịch đang mở."))
    if vendor == "sqlite":
        _sqlite_restore(connection, source, progress)
    else:
        _pg_restore(connection, source, progress)


# --- SQLite ------------------------------------------------------------------------------------------


def _sqlite_progress(progress: Progress | None):
    if progress is None:
        return None
    return lambda _status, remaining, total: progress(total - remaining, total)


def _quick_check(database: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in database.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise BackupError(_("Tệp %(path)s bị hỏng, không dùng được.") % {"path": path})


def _sqlite_backup(connection: BaseDatabaseWrapper, target: Path, progress: Progress | None) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination, pages=SQLITE_PAGES_PER_STEP, progress=_sqlite_progress(progress))
        # One self-contained file (the live database is in WAL mode, and the copy would be too).
        destination.execute("PRAGMA journal_mode=DELETE")
        _quick_check(destination, target)
    finally:
        destination.close()


def _sqlite_restore(connection: BaseDatabaseWrapper, source: Path, progress: Progress | None) -> None:
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        _quick_check(backup_file, source)
        connection.ensure_connection()
        backup_file.backup(connection.connection, pages=SQLITE_PAGES_PER_STEP, progress=_sqlite_progress(progress))
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("Không đọc được tệp sao lưu %(path)s.") % {"path": source}) from exc
    finally:
        backup_file.close()


# --- PostgreSQL --------------------------------------------------------------------------------------


def pg_binary(name: str) -> Path:
    """pg_dump or pg_restore: PG_BIN_DIR, else the newest /usr/lib/postgresql/*/bin, else PATH."""
    configured = os.environ.get("PG_BIN_DIR") or getattr(settings, "PG_BIN_DIR", "")
    candidates = [Path(configured) / name] if configured else []
    versioned = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    candidates += [Path(directory) / name for directory in versioned]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(
        _("Không tìm thấy chương trình %(name)s của PostgreSQL. Cài gói postgresql-client "
          "(apt-get install postgresql-client) hoặc đặt biến PG_BIN_DIR.") % {"name": name}
    )


def _version_key(directory: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", Path(directory).parent.name)) or (0,)


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's variables: the password never appears on a command line (ps would show it)."""
    params = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (("PGHOST", params.get("HOST")), ("PGPORT", params.get("PORT")),
                            ("PGUSER", params.get("USER")), ("PGPASSWORD", params.get("PASSWORD")),
                            ("PGDATABASE", params.get("NAME")),
                            ("PGSSLMODE", (params.get("OPTIONS") or {}).get("sslmode"))):
        if value:
            env[variable] = str(value)
    return env


def _run_pg(command: list[str], env: dict[str, str], marker: str, total: int, progress: Progress | None) -> None:
    """Run a pg_dump/pg_restore with --verbose, counting the tables it reports as done."""
    done = 0
    tail: list[str] = []
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as process:
        for line in process.stderr:
            if marker in line:
                done += 1
                if progress is not None:
                    progress(min(done, total), total)
            elif "error" in line.lower() or "lỗi" in line.lower():
                tail = (tail + [line.strip()])[-5:]
        process.wait()
    if process.returncode != 0:
        raise BackupError(
            _("%(program)s dừng với mã %(code)s: %(detail)s")
            % {"program": Path(command[0]).name, "code": process.returncode, "detail": " | ".join(tail) or "-"}
        )
    if progress is not None:
        progress(total, total)


def _table_count(connection: BaseDatabaseWrapper) -> int:
    with connection.cursor() as cursor:
        return max(1, len(connection.introspection.table_names(cursor)))


def _pg_dump(connection: BaseDatabaseWrapper, target: Path, progress: Progress | None) -> None:
    command = [str(pg_binary("pg_dump")), "--format=custom", "--verbose", f"--file={target}"]
    _run_pg(command, _pg_env(connection), "dumping contents of table", _table_count(connection), progress)


def _pg_restore(connection: BaseDatabaseWrapper, source: Path, progress: Progress | None) -> None:
    total = _table_count(connection)
    binary = pg_binary("pg_restore")
    # Our own idle connection would not block the DROPs, but a connection left in a transaction would.
    connection.close()
    command = [
        str(binary), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
        "--verbose", f"--dbname={connection.settings_dict['NAME']}", str(source),
    ]
    _run_pg(command, _pg_env(connection), "processing data for table", total, progress)
