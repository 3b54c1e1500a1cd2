"""After a quiet sync, each kind of change to a household (its own fields, anonymisation, a resident,
adoption, a field version, consent given or withdrawn) brings back that household, and only it."""

import pytest
from django.utils import timezone

from congdongso.catalog.models import Adoption, AdoptionState
from congdongso.households.models import ConsentRecord, Household, HouseholdFieldVersion, Resident
from congdongso.outreach import sync_changes
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import make_household


def _household_changed(household, person, catalogue) -> None:
    Household.objects.filter(pk=household.pk).update(updated_at=timezone.now())


def _household_anonymised(household, person, catalogue) -> None:
    Household.objects.filter(pk=household.pk).update(anonymised_at=timezone.now())


def _resident_changed(household, person, catalogue) -> None:
    Resident.objects.filter(pk=person.pk).update(updated_at=timezone.now())


def _adoption_changed(household, person, catalogue) -> None:
    Adoption.objects.create(resident=person, service=catalogue["telehealth"], state=AdoptionState.ASSISTED)


def _field_version_recorded(household, person, catalogue) -> None:
    HouseholdFieldVersion.objects.create(household=household, field="resident_count", value=4,
                                         occurred_at=timezone.now())


def _consent_given(household, person, catalogue) -> None:
    ConsentRecord.objects.filter(household=household).update(given_at=timezone.now())


def _consent_withdrawn(household, person, catalogue) -> None:
    ConsentRecord.objects.filter(household=household).update(withdrawn_at=timezone.now())


@pytest.mark.django_db
@pytest.mark.parametrize("change", [
    _household_changed, _household_anonymised, _resident_changed, _adoption_changed, _field_version_recorded,
    _consent_given, _consent_withdrawn,
])
def test_each_kind_of_change_brings_back_its_household(client, place, catalogue, monkeypatch, change):
    monkeypatch.setattr(sync_changes, "MARGIN", sync_changes.dt.timedelta(0))
    client.force_login(place["member"])
    changed, (person,) = make_household(place["village"], head="Ngô Thị Một")
    untouched, _people = make_household(place["village"], head="Lê Văn Hai")
    first = s.post(client, []).json()
    assert {h["id"] for h in first["changes"]["households"]} == {str(changed.pk), str(untouched.pk)}
    quiet = s.post(client, [], cursor=first["cursor"]).json()
    assert quiet["changes"]["households"] == []

    change(changed, person, catalogue)

    after = s.post(client, [], cursor=quiet["cursor"]).json()
    assert [h["id"] for h in after["changes"]["households"]] == [str(changed.pk)]
