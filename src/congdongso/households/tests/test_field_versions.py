"""Household fields edited field by field: the newest occurred_at wins, every version is kept, an
older edit arriving late is stored but changes nothing; page edits are versions too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congdongso.common.ids import new_id
from congdongso.households.models import ConsentMethod, ConsentPurpose, HouseholdFieldVersion
from congdongso.households.services import (
    ConsentRequired,
    consent_record,
    consent_withdraw,
    household_create,
    household_details_set,
    household_fields_edit,
)
from congdongso.indicators.services import tallies_check


@pytest.fixture
def household(db, make):
    return household_create(village=make.village(), actor_id=None)


def _ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


def _consent(household):
    consent_record(household=household, given_by="Chị Lan", method=ConsentMethod.SPOKEN,
                   purposes=[ConsentPurpose.DIGITAL_SUPPORT], actor_id=None)


def test_newest_wins_field_by_field_and_every_version_is_kept(household):
    newer, older = new_id(), new_id()
    household_fields_edit(household=household, fields={"is_poor": True, "resident_count": 4}, occurred_at=_ago(10),
                          actor_id=None, event_id=newer)
    # Made earlier on another phone, arriving later: kept, but the newer values stand...
    changed = household_fields_edit(household=household, fields={"is_poor": False, "has_elderly": True},
                                    occurred_at=_ago(30), actor_id=None, event_id=older)
    # ...except for a field the newer edit did not touch.
    assert changed == ["has_elderly"]
    household.refresh_from_db()
    assert (household.is_poor, household.resident_count, household.has_elderly) == (True, 4, True)
    assert HouseholdFieldVersion.objects.filter(household=household).count() == 4
    assert sorted(HouseholdFieldVersion.objects.filter(field="is_poor").values_list("value", flat=True)) == [False, True]
    assert tallies_check().ok


def test_the_same_arrival_order_or_the_other_gives_the_same_household(db, make):
    village = make.village()
    edits = [({"is_business": True, "resident_count": 3}, 20), ({"is_business": False}, 10), ({"resident_count": 5}, 30)]
    outcomes = []
    for order in (edits, edits[::-1]):
        household = household_create(village=village, actor_id=None)
        for fields, minutes in order:
            household_fields_edit(household=household, fields=fields, occurred_at=_ago(minutes), actor_id=None,
                                  event_id=new_id())
        household.refresh_from_db()
        outcomes.append((household.is_business, household.resident_count))
    assert outcomes == [(False, 3), (False, 3)]


def test_personal_details_need_consent_and_are_blanked_on_withdrawal(household):
    with pytest.raises(ConsentRequired):
        household_fields_edit(household=household, fields={"head_name": "Trần Văn Ba"}, occurred_at=_ago(5),
                              actor_id=None)
    _consent(household)
    household_fields_edit(household=household, fields={"head_name": " Trần  Văn Ba ", "phone": "0912 345 678"},
                          occurred_at=_ago(5), actor_id=None, event_id=new_id())
    household.refresh_from_db()
    assert (household.head_name, household.search_name, household.phone) == ("Trần Văn Ba", "tran van ba", "+84912345678")
    consent_withdraw(household=household, actor_id=None)
    assert set(HouseholdFieldVersion.objects.filter(field__in=["head_name", "phone"]).values_list("value", flat=True)) == {""}


def test_a_page_edit_is_a_version_so_an_older_phone_edit_does_not_undo_it(household):
    _consent(household)
    household_details_set(household=household, head_name="Lê Thị Tư", address_line="", phone="", actor_id=None)
    household_fields_edit(household=household, fields={"head_name": "Lê Thị Năm"}, occurred_at=_ago(60),
                          actor_id=None, event_id=new_id())
    household.refresh_from_db()
    assert household.head_name == "Lê Thị Tư"
    assert HouseholdFieldVersion.objects.filter(field="head_name").count() == 2


@pytest.mark.parametrize("fields", [{"resident_count": 120}, {"is_poor": "yes"}, {"village_id": 3}, {},
                                    {"resident_count": True}])
def test_bad_values_are_refused(household, fields):
    with pytest.raises(ValidationError):
        household_fields_edit(household=household, fields=fields, occurred_at=_ago(5), actor_id=None)
    assert not HouseholdFieldVersion.objects.exists()
