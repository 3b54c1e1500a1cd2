"""The drill: build data, back up, destroy (delete rows, drop a table), restore, and every table has
its rows back. Runs on whichever database the suite runs on (SQLite and PostgreSQL in CI); on
PostgreSQL it needs pg_dump and pg_restore, and fails with the reason when they are missing.

On SQLite the drill runs in a child process on a migrated file database of its own: restoring pages
into the suite's shared in-memory database left a later browser test on the same worker reading a
session table with duplicate keys."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from congdongso.outreach.tests.live_server import BIN, _env, live_database, migrated_database
from congdongso.teams.models import Membership, Team
from congdongso.testing import factories

__all__ = ["live_database", "migrated_database"]  # fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def build_data() -> None:
    province = factories.province(name="Tỉnh Diễn Tập")
    for n in range(3):
        commune = factories.commune(province)
        team = factories.team(factories.village(commune))
        for _ in range(4):
            factories.member(team)
        factories.user(unit=commune)


def drill(directory: Path) -> None:
    build_data()
    before = table_counts()
    assert before[Team._meta.db_table] >= 3 and before[Membership._meta.db_table] >= 12

    backup_file = directory / "drill.backup"
    out = io.StringIO()
    call_command("backup", "--output", str(backup_file), stdout=out)
    assert backup_file.stat().st_size > 0
    assert backup_file.stat().st_mode & 0o077 == 0  # personal data: the owner's eyes only
    assert "Đang sao lưu: 100%" in out.getvalue() and "Đã sao lưu cơ sở dữ liệu vào" in out.getvalue()

    Membership.objects.all().delete()
    Team.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name('django_session')}")
    assert table_counts() != before

    out = io.StringIO()
    call_command("restore", str(backup_file), "--yes", stdout=out)
    assert "Đang khôi phục: 100%" in out.getvalue() and "Đã khôi phục cơ sở dữ liệu từ" in out.getvalue()
    assert table_counts() == before
    # The restored rows are whole rows, not just the right number of them.
    assert Team.objects.filter(unit__parent__parent__name="Tỉnh Diễn Tập").count() == 3


CHILD = r"""
import sys
from pathlib import Path
import django
django.setup()
from congdongso.ops.tests.test_backup_restore_drill import drill
drill(Path(sys.argv[1]))
print("drilled")
"""


def test_backup_destroy_restore_brings_every_table_back(tmp_path, request):
    if connection.vendor != "sqlite":
        drill(tmp_path)
        return
    database = request.getfixturevalue("live_database")
    done = subprocess.run(
        [str(BIN / "python"), "-c", CHILD, str(tmp_path)], env=_env(database), capture_output=True, text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("drilled")
