"""A follow-up falls due a week after the visit's day in Vietnam, whatever the UTC date."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congdongso.common.ids import new_id
from congdongso.outreach.models import FollowUp, Outcome
from congdongso.outreach.services import FOLLOW_UP_AFTER_DAYS, assist_record
from congdongso.outreach.tests.builders import make_household

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
@pytest.mark.parametrize("local_time", [dt.time(0, 30), dt.time(6, 59), dt.time(23, 30)])
def test_due_date_counts_from_the_local_day(place, catalogue, local_time):
    occurred = dt.datetime.combine(dt.date(2026, 3, 10), local_time, tzinfo=HANOI)
    household, _ = make_household(place["village"])
    assist_record(
        assist_id=new_id(), member=place["member"], household=household, resident=None,
        service_codes=["vneid-level2"], outcome=Outcome.NEEDS_FOLLOW_UP, occurred_at=occurred.astimezone(dt.UTC),
    )
    assert FollowUp.objects.get(household=household).due_on == dt.date(2026, 3, 10) + dt.timedelta(
        days=FOLLOW_UP_AFTER_DAYS
    )
