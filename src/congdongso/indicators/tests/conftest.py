"""Fixtures for the indicators tests: a small province with facts written through the services, and
the real-browser fixtures (re-exported, see testing/browser.py)."""

import pytest

from congdongso.accounts.models import Role
from congdongso.common.ids import new_id
from congdongso.households.services import household_create
from congdongso.indicators.reports import last_complete_quarter
from congdongso.indicators.tests.report_helpers import month_moment, shift_month
from congdongso.outreach.models import Outcome
from congdongso.outreach.services import assist_record
from congdongso.testing.browser import browser, order_browser_tests_last, page  # noqa: F401


def pytest_collection_modifyitems(session, config, items):
    order_browser_tests_last(items)


@pytest.fixture
def report_world(make):
    """Tỉnh Thử Nghiệm: Xã An Bình (Thôn Đông with a team, Thôn Nam without), Xã Bình Minh (Thôn Tây
    with a team). 3 + 2 + 1 households; assists in each month of a past quarter, and one just before and
    one just after it (that a quarterly report must leave out)."""
    province = make.province(name="Tỉnh Thử Nghiệm")
    a = make.commune(province, name="Xã An Bình")
    b = make.commune(province, name="Xã Bình Minh")
    dong, nam, tay = make.village(a, name="Thôn Đông"), make.village(a, name="Thôn Nam"), make.village(b, name="Thôn Tây")
    make.team(dong)
    make.team(tay)
    households = {
        dong.pk: [household_create(village=dong, resident_count=4, actor_id=None) for _ in range(3)],
        nam.pk: [household_create(village=nam, resident_count=2, actor_id=None) for _ in range(2)],
        tay.pk: [household_create(village=tay, tags=["business"], resident_count=5, actor_id=None)],
    }
    member = make.user(Role.MEMBER, dong)
    # The quarter before the last complete one: the month after it is in the past on any day.
    quarter = last_complete_quarter(last_complete_quarter().first_day)
    months = quarter.months
    # (village, month, outcome): 2 + 1 + 1 in the quarter's months, one before, one after.
    plan = [
        (dong, months[0], Outcome.DONE), (dong, months[0], Outcome.NEEDS_FOLLOW_UP),
        (nam, months[1], Outcome.DONE), (tay, months[2], Outcome.DONE),
        (dong, shift_month(months[0], -1), Outcome.DONE), (tay, shift_month(months[2], 1), Outcome.DONE),
    ]
    for village, month, outcome in plan:
        assist_record(
            assist_id=new_id(), member=member, household=households[village.pk][0], resident=None,
            service_codes=["vneid-level2"], outcome=outcome, occurred_at=month_moment(month),
        )
    return {
        "province": province, "a": a, "b": b, "dong": dong, "nam": nam, "tay": tay, "quarter": quarter,
        "officer": make.user(Role.PROVINCE_OFFICER, province), "officer_a": make.user(Role.COMMUNE_OFFICER, a),
        "officer_b": make.user(Role.COMMUNE_OFFICER, b), "member": member,
    }
