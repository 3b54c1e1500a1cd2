"""A resident is proficient when each of the five skills has a service used independently; a
household has a digital nucleus when at least one resident is proficient."""

import pytest

from congdongso.catalog.models import Adoption, AdoptionState
from congdongso.catalog.services import adoption_set, adoptions_raise
from congdongso.catalog.tests.conftest import SMART
from congdongso.households.models import Household, Resident

pytestmark = pytest.mark.django_db

# One service per skill, in Skill order.
ONE_PER_SKILL = ["vneid-level2", "online-shopping", "qr-payment", "scam-awareness", "telehealth"]


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_four_skills_are_not_enough_and_the_fifth_makes_the_nucleus(household, service):
    home = household((30, SMART), (60, SMART))
    person, other = home.residents.order_by("created_at")
    assert fresh(home).missing_skills == 5 and not fresh(home).has_nucleus
    adoptions_raise(resident=person, services=[service(c) for c in ONE_PER_SKILL[:4]], state=AdoptionState.INDEPENDENT)
    assert not fresh(person).proficient
    assert fresh(home).missing_skills == 1 and not fresh(home).has_nucleus
    adoption_set(resident=person, service=service(ONE_PER_SKILL[4]), state=AdoptionState.INDEPENDENT, actor_id=None)
    assert fresh(person).proficient and sorted(fresh(person).skills) == sorted(
        ["public_services", "online_shopping", "online_payment", "online_safety", "local_platform"]
    )
    assert fresh(home).has_nucleus and fresh(home).missing_skills == 0
    assert not fresh(other).proficient


def test_assisted_is_not_proficient(household, service):
    home = household((30, SMART))
    person = home.residents.get()
    adoptions_raise(resident=person, services=[service(c) for c in ONE_PER_SKILL], state=AdoptionState.ASSISTED)
    assert not fresh(person).proficient and fresh(person).skills == []
    assert not fresh(home).has_nucleus and fresh(home).missing_skills == 5


def test_two_services_of_one_skill_count_as_one_skill(household, service):
    home = household((30, SMART))
    person = home.residents.get()
    adoptions_raise(
        resident=person, services=[service("vneid-level2"), service("vssid"), service("online-dossier")],
        state=AdoptionState.INDEPENDENT,
    )
    assert fresh(person).skills == ["public_services"]
    assert fresh(home).missing_skills == 4


def test_skills_of_different_residents_do_not_add_up(household, service):
    home = household((30, SMART), (35, SMART))
    a, b = home.residents.order_by("created_at")
    adoptions_raise(resident=a, services=[service(c) for c in ONE_PER_SKILL[:3]], state=AdoptionState.INDEPENDENT)
    adoptions_raise(resident=b, services=[service(c) for c in ONE_PER_SKILL[3:]], state=AdoptionState.INDEPENDENT)
    assert not fresh(home).has_nucleus
    # missing_skills counts what the best resident still lacks.
    assert fresh(home).missing_skills == 2


def test_help_never_lowers_adoption_but_a_correction_does(household, service):
    home = household((30, SMART))
    person = home.residents.get()
    services = [service(c) for c in ONE_PER_SKILL]
    adoptions_raise(resident=person, services=services, state=AdoptionState.INDEPENDENT)
    assert adoptions_raise(resident=person, services=services, state=AdoptionState.ASSISTED) == 0
    assert fresh(home).has_nucleus
    adoption = adoption_set(resident=person, service=services[0], state=AdoptionState.ASSISTED, actor_id=None)
    assert adoption.independent_since is None and adoption.first_assisted_at is not None
    assert not fresh(person).proficient
    assert not fresh(home).has_nucleus and fresh(home).missing_skills == 1


def test_a_household_with_two_proficient_residents_keeps_its_nucleus_when_one_slips(household, service):
    home = household((30, SMART), (40, SMART))
    a, b = home.residents.order_by("created_at")
    for person in (a, b):
        adoptions_raise(resident=person, services=[service(c) for c in ONE_PER_SKILL], state=AdoptionState.INDEPENDENT)
    adoption_set(resident=a, service=service("telehealth"), state=AdoptionState.NOT_YET, actor_id=None)
    assert not fresh(a).proficient and fresh(b).proficient
    assert fresh(home).has_nucleus
    assert Household.objects.filter(has_nucleus=True).count() == 1
    assert Resident.objects.filter(proficient=True).count() == 1
    assert Adoption.objects.filter(resident=a, state=AdoptionState.NOT_YET).count() == 1
