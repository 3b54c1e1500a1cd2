"""100,000 good rows import completely, in one transaction, in reasonable time (measured, printed)."""

import io
import time

import pytest
from django.core.management import call_command

from congdongso.households.models import ConsentRecord, Household, Resident
from congdongso.testing.household_lists import HOUSEHOLD_HEADER, RESIDENT_HEADER, csv_bytes, household_rows

ROWS = 100_000


@pytest.mark.slow
@pytest.mark.django_db
def test_100000_good_rows_are_imported_completely(tmp_path, make, capsys):
    commune = make.commune()
    codes = [make.village(commune).code for _ in range(20)]
    households, residents = household_rows(codes, ROWS)
    (tmp_path / "ho.csv").write_bytes(csv_bytes(HOUSEHOLD_HEADER, households))
    (tmp_path / "nk.csv").write_bytes(csv_bytes(RESIDENT_HEADER, residents))
    consented = sum(row[12] == "có" for row in households)

    start = time.perf_counter()
    call_command("import_households", str(tmp_path / "ho.csv"), "--residents", str(tmp_path / "nk.csv"),
                 "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    seconds = time.perf_counter() - start

    assert Household.objects.count() == ROWS
    assert Household.objects.filter(has_consent=True).count() == ConsentRecord.objects.count() == consented
    assert Resident.objects.count() == len(residents)
    assert not Household.objects.filter(has_consent=False).exclude(head_name="").exists()
    assert Household.objects.filter(village__code=codes[0]).count() == ROWS // len(codes)
    with capsys.disabled():
        print(f"\n  import_households: {ROWS:,} households + {len(residents):,} residents in {seconds:.1f} s "
              f"({(ROWS + len(residents)) / seconds:,.0f} rows/s)")
    # A generous bound (a busy 2-core machine): the point is "seconds, not minutes".
    assert seconds < 120
