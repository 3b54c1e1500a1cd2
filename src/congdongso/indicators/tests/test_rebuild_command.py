"""`rebuild_tallies --check` reports drift and exits non-zero; `rebuild_tallies` repairs it."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congdongso.households.services import household_create
from congdongso.indicators.models import Tally


@pytest.fixture
def village_with_households(db, make):
    village = make.village()
    for _ in range(3):
        household_create(village=village, actor_id=None)
    return village


def test_check_passes_when_tallies_match_the_facts(village_with_households, capsys):
    call_command("rebuild_tallies", "--check", verbosity=0)
    assert json.loads(capsys.readouterr().out) == {"differing_rows": 0}


def test_check_counts_differing_rows_and_fails_without_writing(village_with_households, capsys):
    households = Tally.objects.get(unit=village_with_households, period="", metric="households")
    assert households.value == 3
    Tally.objects.filter(pk=households.pk).update(value=7)
    with pytest.raises(CommandError) as failure:
        call_command("rebuild_tallies", "--check", verbosity=0)
    assert failure.value.returncode == 1
    # The village's row and its commune's and province's rows agree with each other but not with the
    # facts: only the edited row differs.
    assert json.loads(capsys.readouterr().out) == {"differing_rows": 1}
    assert Tally.objects.get(pk=households.pk).value == 7


def test_rebuild_repairs_drift(village_with_households, capsys):
    Tally.objects.filter(metric="households").delete()
    call_command("rebuild_tallies", verbosity=0)
    assert Tally.objects.get(unit=village_with_households, period="", metric="households").value == 3
    assert json.loads(capsys.readouterr().out)["rows"] == Tally.objects.count()
