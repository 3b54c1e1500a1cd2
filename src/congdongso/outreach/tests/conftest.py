"""Fixtures for outreach tests: a village with a member, households built through the services,
and the national catalogue (seeded by a migration; put back after transactional tests flush it)."""

import pytest

from congdongso.accounts.models import Role
from congdongso.catalog.models import Service
from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.testing.browser import browser, order_browser_tests_last, page  # noqa: F401



def pytest_collection_modifyitems(session, config, items):
    order_browser_tests_last(items)


@pytest.fixture
def catalogue(db) -> dict[str, Service]:
    national_catalogue_ensure()
    return {s.code: s for s in Service.objects.filter(province__isnull=True)}


@pytest.fixture
def place(db, make):
    """A village with a member and a team leader, and a second village in another commune."""
    province = make.province()
    village = make.village(make.commune(province), name="Ấp Tân Lợi")
    other = make.village(make.commune(province), name="Ấp Xa Xôi")
    return {
        "province": province, "village": village, "other_village": other,
        "member": make.user(Role.MEMBER, village), "leader": make.user(Role.TEAM_LEADER, village),
        "other_member": make.user(Role.MEMBER, other),
    }
