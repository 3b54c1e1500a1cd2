"""Fixtures for campaign tests: a province with two communes of two villages each, officers,
members on village teams, households built through the services, and assists recorded through
`assist_record` (so tallies are what the services keep)."""

import datetime as dt

import pytest
from django.utils import timezone

from congdongso.accounts.models import Role
from congdongso.catalog.models import Service
from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.common.ids import new_id
from congdongso.outreach.services import assist_record
from congdongso.outreach.tests.builders import make_household
from congdongso.testing.browser import browser, order_browser_tests_last, page  # noqa: F401


def pytest_collection_modifyitems(session, config, items):
    order_browser_tests_last(items)


@pytest.fixture
def catalogue(db) -> dict[str, Service]:
    national_catalogue_ensure()
    return {s.code: s for s in Service.objects.filter(province__isnull=True)}


@pytest.fixture
def land(db, make, catalogue):
    """Province P: communes A (villages a1, a2) and B (village b1); a team and a member per village."""
    province = make.province()
    a, b = make.commune(province, name="Xã An Bình"), make.commune(province, name="Xã Bình Minh")
    a1, a2 = make.village(a, name="Thôn Đông"), make.village(a, name="Thôn Tây")
    b1 = make.village(b, name="Thôn Bắc")
    members = {}
    teams = {}
    for key, village in (("a1", a1), ("a2", a2), ("b1", b1)):
        members[key] = make.user(Role.MEMBER, village)
        teams[key] = make.team(village)
        make.member(teams[key], user=members[key], name=f"Thành viên {key}")
    return {
        "province": province, "a": a, "b": b, "a1": a1, "a2": a2, "b1": b1,
        "members": members, "teams": teams,
        "province_officer": make.user(Role.PROVINCE_OFFICER, province),
        "officer_a": make.user(Role.COMMUNE_OFFICER, a), "officer_b": make.user(Role.COMMUNE_OFFICER, b),
        "catalogue": catalogue,
    }


def days_ago(days: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def assist(member, household, *, resident=None, codes=("vneid-level2",), outcome="done", at=None, campaign=None,
           independent=False):
    return assist_record(
        assist_id=new_id(), member=member, household=household, resident=resident, service_codes=list(codes),
        outcome=outcome, occurred_at=at or days_ago(1), independent=independent,
        campaign_id=campaign.pk if campaign is not None else None,
    )


def household(village, **kwargs):
    return make_household(village, **kwargs)[0]
