"""On a SQLite file (the default setup, outside any test transaction) the full rebuild reads its sources
on several threads, each with its own connection: the table it writes equals the one-thread recount,
and the threads really did the reading. Runs in a child process, against a migrated file database."""

import subprocess

from congdongso.outreach.tests.live_server import BIN, _env, live_database, migrated_database

__all__ = ["live_database", "migrated_database"]  # fixtures

SCRIPT = r"""
import datetime as dt, threading, django
django.setup()
from django.db.models import F
from django.utils import timezone
from congdongso.accounts.models import Role
from congdongso.catalog.models import Service
from congdongso.common.ids import new_id
from congdongso.households.services import household_create
from congdongso.households.models import Resident
from congdongso.indicators import services
from congdongso.indicators.models import Tally
from congdongso.outreach.services import assist_record
from congdongso.testing import factories

province = factories.province()
member = None
outcomes = ["done", "partly", "refused", "needs_follow_up"]
codes = list(Service.objects.filter(province__isnull=True).values_list("code", flat=True)[:4])
for c in range(2):
    commune = factories.commune(province)
    for v in range(2):
        village = factories.village(commune)
        member = factories.user(Role.MEMBER, village, username=f"m{c}{v}")
        for h in range(3):
            household = household_create(village=village, resident_count=2, actor_id=None)
            resident = Resident.objects.create(household=household)
            for n in range(4):
                assist_record(
                    assist_id=new_id(), member=member, household=household, resident=resident if n % 2 else None,
                    service_codes=codes[: 1 + n % 3], outcome=outcomes[(h + n) % 4], independent=n == 3,
                    occurred_at=timezone.now() - dt.timedelta(days=40 * n + h),
                )

assert services._parallel_reads_consistent()
threads = set()
original = services._recount_on_own_connection
def counting(recount):
    threads.add(threading.get_ident())
    return original(recount)
services._recount_on_own_connection = counting

kept = services.tallies_actual()
Tally.objects.filter(pk__in=list(Tally.objects.values_list("pk", flat=True)[:5])).delete()
Tally.objects.update(value=F("value") + 3)
services.tallies_rebuild()
assert len(threads) > 1, threads
assert services.tallies_actual() == kept, "parallel rebuild differs from what the services kept"
assert services.tallies_expected(parallel=False) == kept, "the one-thread recount differs"
print("ok", len(kept))
"""


def test_parallel_rebuild_equals_the_incremental_table(live_database):
    done = subprocess.run(
        [str(BIN / "python"), "-c", SCRIPT], env=_env(live_database), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    kind, rows = done.stdout.split()
    assert kind == "ok" and int(rows) > 50
