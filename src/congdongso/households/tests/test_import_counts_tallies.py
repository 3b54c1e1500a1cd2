"""An import writes households by bulk SQL, and counts them in the tallies exactly as a rebuild would."""

import pytest

from congdongso.households.importing import check_tables, households_import, open_tables
from congdongso.indicators.models import Tally
from congdongso.indicators.services import tallies_check
from congdongso.testing.household_lists import HOUSEHOLD_HEADER, RESIDENT_HEADER, csv_bytes, household_rows


@pytest.mark.django_db
def test_imported_households_are_counted_in_the_tallies(make):
    commune = make.commune()
    villages = [make.village(commune), make.village(commune)]
    households, residents = household_rows([v.code for v in villages], 40)
    tables = open_tables(
        csv_bytes(HOUSEHOLD_HEADER, households), "ho.csv",
        residents_data=csv_bytes(RESIDENT_HEADER, residents), residents_filename="nhan-khau.csv",
    )
    checked = check_tables(tables, within=None)
    assert checked.ok, checked.errors[:3]
    households_import(checked=checked, actor_id=None)

    assert Tally.objects.get(unit=commune, period="", metric="households").value == 40
    consented = Tally.objects.filter(unit=commune, period="", metric="households.consented").first()
    assert consented is not None and 0 < consented.value < 40
    check = tallies_check()
    assert check.ok, check.examples
