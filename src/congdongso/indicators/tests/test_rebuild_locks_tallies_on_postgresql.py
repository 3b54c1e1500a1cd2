"""On PostgreSQL the full rebuild counts while holding the tally table in SHARE ROW EXCLUSIVE mode: a
writer that already added deltas has committed before the count, and one that adds them later waits
for the swap (on SQLite the rebuild's transaction holds the database's write lock instead)."""

import pytest
from django.db import connection

from congdongso.indicators import registry
from congdongso.indicators.services import tallies_rebuild


@pytest.mark.django_db
def test_the_count_runs_under_the_table_lock(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's table lock; the SQLite run of the suite covers the write lock elsewhere")
    held: list[bool] = []

    def spying_source(prefixes):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'indicators_tally' AND l.pid = pg_backend_pid() "
                "AND l.mode = 'ShareRowExclusiveLock' AND l.granted)"
            )
            held.append(cursor.fetchone()[0])
        return []

    monkeypatch.setattr(registry, "_sources", {**registry._sources, "spy": spying_source})
    tallies_rebuild()
    assert held == [True]
