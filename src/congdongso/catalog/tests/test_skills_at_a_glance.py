"""The visit screen's grid: per resident, per skill, independent / assisted / none."""

import pytest

from congdongso.catalog.models import AdoptionState, Skill
from congdongso.catalog.selectors import GLANCE_ASSISTED, GLANCE_INDEPENDENT, GLANCE_NONE, skills_at_a_glance
from congdongso.catalog.services import adoptions_raise
from congdongso.catalog.tests.conftest import FEATURE, SMART

pytestmark = pytest.mark.django_db


def test_each_skill_shows_the_best_state_of_its_services(household, service, django_assert_max_num_queries):
    home = household((30, SMART), (70, FEATURE))
    first, second = home.residents.order_by("created_at")
    adoptions_raise(resident=first, services=[service("vneid-level2")], state=AdoptionState.ASSISTED)
    adoptions_raise(resident=first, services=[service("vssid")], state=AdoptionState.INDEPENDENT)
    adoptions_raise(resident=first, services=[service("qr-payment")], state=AdoptionState.ASSISTED)
    adoptions_raise(resident=second, services=[service("scam-awareness")], state=AdoptionState.INDEPENDENT)
    with django_assert_max_num_queries(2):
        grid = skills_at_a_glance(home)
    assert [row.resident for row in grid] == [first, second]
    assert grid[0].states == {
        Skill.PUBLIC_SERVICES: GLANCE_INDEPENDENT,  # VssID on their own beats VNeID assisted
        Skill.ONLINE_SHOPPING: GLANCE_NONE,
        Skill.ONLINE_PAYMENT: GLANCE_ASSISTED,
        Skill.ONLINE_SAFETY: GLANCE_NONE,
        Skill.LOCAL_PLATFORM: GLANCE_NONE,
    }
    assert grid[1].states[Skill.ONLINE_SAFETY] == GLANCE_INDEPENDENT
    assert grid[0].independent_count == 1
    assert [cell.skill for cell in grid[0].cells] == list(Skill.values)
    assert grid[0].cells[0].label == "Dịch vụ công trực tuyến"


def test_a_household_without_residents_has_an_empty_grid(household):
    assert skills_at_a_glance(household(consent=False)) == []
