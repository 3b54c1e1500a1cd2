import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congdongso.households.models import ConsentMethod, ConsentPurpose, Household
from congdongso.households.services import (
    consent_record,
    consent_withdraw,
    household_create,
    household_details_set,
    resident_add,
)


@pytest.mark.django_db
def test_without_consent_a_household_is_counts_only(make):
    household = household_create(village=make.village(), tags={"elderly"}, resident_count=4, actor_id=None)
    with pytest.raises(ValidationError):
        household_details_set(household=household, head_name="Nguyễn Văn A", address_line="", phone="", actor_id=None)
    with pytest.raises(ValidationError):
        resident_add(household=household, display_name="Nguyễn Văn A", actor_id=None)
    anonymous = resident_add(household=household, device="feature_phone", actor_id=None)
    household.refresh_from_db()
    assert anonymous.display_name == "" and household.head_name == "" and household.resident_count == 4
    assert household.tags == {"elderly"}


@pytest.mark.django_db
def test_consent_allows_details_and_withdrawal_anonymises_at_once(make):
    household = household_create(village=make.village(), resident_count=2, actor_id=None)
    with pytest.raises(ValidationError):
        consent_record(household=household, given_by="Bà Lan", method=ConsentMethod.SPOKEN, purposes=[], actor_id=None)
    consent_record(
        household=household, given_by="Bà Lan", method=ConsentMethod.SPOKEN,
        purposes=[ConsentPurpose.DIGITAL_SUPPORT], actor_id=None,
    )
    household_details_set(
        household=household, head_name="Trần Thị Lan", address_line="Số 5, ngõ 2", phone="0912 345 678", actor_id=None
    )
    resident = resident_add(
        household=household, display_name="Trần Thị Lan", birth_year=1958, phone="091.234.5679", actor_id=None
    )
    assert household.phone == "+84912345678" and resident.phone == "+84912345679"

    consent_withdraw(household=household, actor_id=None)
    stored = Household.objects.get(pk=household.pk)
    resident.refresh_from_db()
    assert (stored.head_name, stored.address_line, stored.phone, stored.has_consent) == ("", "", "", False)
    assert (resident.display_name, resident.birth_year, resident.phone) == ("", None, "")
    assert stored.resident_count == 2 and stored.residents.count() == 1
    assert stored.consents.get().given_by == ""
    with pytest.raises(ValidationError):
        household_details_set(household=stored, head_name="X", address_line="", phone="", actor_id=None)


@pytest.mark.django_db
def test_bad_phone_and_birth_year_are_refused(make):
    household = household_create(village=make.village(), actor_id=None)
    consent_record(
        household=household, given_by="Ông Ba", method=ConsentMethod.SIGNED,
        purposes=[ConsentPurpose.DIGITAL_SUPPORT], actor_id=None,
    )
    with pytest.raises(ValidationError):
        resident_add(household=household, display_name="Ông Ba", phone="12345", actor_id=None)
    with pytest.raises(ValidationError):
        resident_add(household=household, display_name="Ông Ba", birth_year=dt.date.today().year + 1, actor_id=None)
