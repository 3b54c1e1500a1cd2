"""Households for outreach tests, built through the real services."""

from congdongso.catalog.models import AdoptionState
from congdongso.catalog.services import adoptions_raise
from congdongso.households.models import ConsentMethod, ConsentPurpose, Device
from congdongso.households.services import consent_record, household_create, household_details_set, resident_add

# One national service per basic skill, by code (catalog/seed.py).
ONE_PER_SKILL = {
    "public_services": "vneid-level2",
    "online_shopping": "online-shopping",
    "online_payment": "cashless-account",
    "online_safety": "scam-awareness",
    "local_platform": "telehealth",
}


def make_household(
    village, *, head="Nguyễn Văn Hai", residents=(("Nguyễn Văn Hai", 1980, Device.SMARTPHONE),), tags=(), consent=True
):
    household = household_create(village=village, tags=tags, actor_id=None)
    people = []
    if consent:
        consent_record(
            household=household, given_by=head, method=ConsentMethod.SPOKEN,
            purposes=[ConsentPurpose.DIGITAL_SUPPORT], actor_id=None,
        )
        household_details_set(household=household, head_name=head, address_line="", phone="", actor_id=None)
        for name, year, device in residents:
            people.append(
                resident_add(household=household, display_name=name, birth_year=year, device=device, actor_id=None)
            )
    else:
        for _name, _year, device in residents:
            people.append(resident_add(household=household, device=device, actor_id=None))
    household.refresh_from_db()
    return household, people


def give_skills(resident, catalogue, skills) -> None:
    """Make a resident use one service of each given skill independently."""
    services = [catalogue[ONE_PER_SKILL[skill]] for skill in skills]
    adoptions_raise(resident=resident, services=services, state=AdoptionState.INDEPENDENT)
