"""An assist moves adoption up (assisted, or uses independently), never down, in its transaction."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congdongso.catalog.models import Adoption, AdoptionState
from congdongso.common.ids import new_id
from congdongso.households.models import Household
from congdongso.outreach.models import Assist, Outcome
from congdongso.outreach.services import assist_record
from congdongso.outreach.tests.builders import give_skills, make_household


def _assist(place, household, resident, codes, outcome, independent=False, **extra):
    return assist_record(
        assist_id=new_id(), member=place["member"], household=household, resident=resident, service_codes=codes,
        outcome=outcome, independent=independent, occurred_at=timezone.now(), **extra,
    )


def _state(resident, code):
    return Adoption.objects.get(resident=resident, service__code=code).state


@pytest.mark.django_db
def test_guided_is_assisted_and_on_their_own_is_independent(place, catalogue):
    household, (person,) = make_household(place["village"])
    _assist(place, household, person, ["vneid-level2"], Outcome.DONE)
    assert _state(person, "vneid-level2") == AdoptionState.ASSISTED
    person.refresh_from_db()
    assert person.skills == []  # a skill counts once used independently

    _assist(place, household, person, ["vneid-level2", "cashless-account"], Outcome.DONE, independent=True)
    assert _state(person, "vneid-level2") == _state(person, "cashless-account") == AdoptionState.INDEPENDENT
    person.refresh_from_db()
    household.refresh_from_db()
    assert sorted(person.skills) == ["online_payment", "public_services"]
    assert household.missing_skills == 3 and not household.has_nucleus
    adoption = Adoption.objects.get(resident=person, service__code="vneid-level2")
    assert adoption.first_assisted_at < adoption.independent_since


@pytest.mark.django_db
def test_help_never_downgrades_and_refusals_change_nothing(place, catalogue):
    household, (person,) = make_household(place["village"])
    give_skills(person, catalogue, ["online_safety"])
    _assist(place, household, person, ["scam-awareness"], Outcome.DONE)  # guided again
    _assist(place, household, person, ["scam-awareness"], Outcome.PARTLY)
    assert _state(person, "scam-awareness") == AdoptionState.INDEPENDENT

    _assist(place, household, person, ["telehealth"], Outcome.REFUSED)
    _assist(place, household, person, ["online-shopping"], Outcome.NEEDS_FOLLOW_UP)
    assert not Adoption.objects.filter(resident=person, service__code__in=["telehealth", "online-shopping"]).exists()
    assert Assist.objects.filter(household=household).count() == 4


@pytest.mark.django_db
def test_the_fifth_skill_makes_a_digital_nucleus(place, catalogue):
    household, (person, child) = make_household(
        place["village"], residents=[("Trần Thị Ba", 1985, "smartphone"), ("Trần Văn Tí", 2012, "none")]
    )
    give_skills(person, catalogue, ["public_services", "online_shopping", "online_payment", "online_safety"])
    _assist(place, household, child, ["telehealth"], Outcome.DONE, independent=True)
    assert not Household.objects.get(pk=household.pk).has_nucleus  # the child, not the same person

    _assist(place, household, person, ["telehealth"], Outcome.DONE, independent=True)
    stored = Household.objects.get(pk=household.pk)
    assert (stored.has_nucleus, stored.missing_skills) == (True, 0)
    person.refresh_from_db()
    assert person.proficient


@pytest.mark.django_db
def test_bad_assists_are_refused_and_leave_nothing(place, catalogue):
    household, (person,) = make_household(place["village"])
    other, (stranger,) = make_household(place["village"], head="Lê Văn Khác", residents=[("Lê Văn Khác", 1970, "none")])
    cases = [
        ({"codes": ["no-such-service"]}, "danh mục"),
        ({"codes": []}, "ít nhất một dịch vụ"),
        ({"resident": stranger}, "không thuộc hộ"),
        ({"note": "mật khẩu: hoa123"}, "mật khẩu"),
        ({"note": "CCCD 001099012345"}, "CCCD"),
        ({"occurred_at": timezone.now() + dt.timedelta(days=1)}, "tương lai"),
    ]
    for case, message in cases:
        with pytest.raises(ValidationError, match=message):
            assist_record(
                assist_id=new_id(), member=place["member"], household=household,
                resident=case.get("resident", person), service_codes=case.get("codes", ["vneid-level2"]),
                outcome=Outcome.DONE, occurred_at=case.get("occurred_at", timezone.now()),
                note=case.get("note", ""),
            )
    assert not Assist.objects.exists() and not Adoption.objects.exists()
