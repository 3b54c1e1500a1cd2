"""Acknowledge within 2 working days (weekends and public holidays skipped); complete within 15
days, 20 when a processor is involved; for every kind of request and both channels."""

import datetime as dt

import pytest
from django.utils import timezone

from congdongso.privacy import deadlines
from congdongso.privacy.models import ChannelKind, Kind, Status
from congdongso.privacy.services import request_submit

MONDAY = dt.date(2026, 11, 23)
THURSDAY = dt.date(2026, 11, 26)
FRIDAY = dt.date(2026, 11, 27)
PAST_FRIDAY = dt.date(2026, 10, 16)  # a request cannot be received in the future


def test_two_working_days_skip_the_weekend():
    assert deadlines.acknowledge_by(MONDAY) == dt.date(2026, 11, 25)
    assert deadlines.acknowledge_by(THURSDAY) == dt.date(2026, 11, 30)  # Fri, then Mon
    assert deadlines.acknowledge_by(FRIDAY) == dt.date(2026, 12, 1)  # Mon, Tue
    assert deadlines.acknowledge_by(dt.date(2026, 11, 28)) == dt.date(2026, 12, 1)  # received on a Saturday


def test_public_holidays_are_skipped():
    # 30/4 (Thu) and 1/5 (Fri) are holidays: received Wednesday 29/4 -> Monday 4/5, Tuesday 5/5.
    assert deadlines.acknowledge_by(dt.date(2026, 4, 29)) == dt.date(2026, 5, 5)
    # Received on 1 January (a holiday, Thursday): Friday 2/1, Monday 5/1.
    assert deadlines.acknowledge_by(dt.date(2026, 1, 1)) == dt.date(2026, 1, 5)
    # Tết 2026: received Friday 13/2, the break runs to Sunday 22/2: Monday 23/2, Tuesday 24/2.
    assert deadlines.acknowledge_by(dt.date(2026, 2, 13)) == dt.date(2026, 2, 24)
    assert not deadlines.is_working_day(dt.date(2026, 9, 2))


def test_completion_is_15_calendar_days_or_20_with_a_processor():
    assert deadlines.complete_by(FRIDAY, processor_involved=False) == dt.date(2026, 12, 12)
    assert deadlines.complete_by(FRIDAY, processor_involved=True) == dt.date(2026, 12, 17)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_through_an_officer_gets_both_deadlines(world, open_request, kind):
    request = open_request(kind, household=world["household"], received_on=PAST_FRIDAY)
    assert request.status == Status.RECEIVED and request.channel == ChannelKind.OFFICER
    assert request.verified_at is not None
    assert (request.received_on, request.acknowledge_by, request.complete_by) == (
        PAST_FRIDAY, dt.date(2026, 10, 20), dt.date(2026, 10, 31)
    )
    with_processor = open_request(kind, household=world["household"], received_on=PAST_FRIDAY, processor_involved=True)
    assert with_processor.complete_by == dt.date(2026, 11, 5)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_from_the_public_form_starts_unverified_with_deadlines_from_today(world, kind):
    request = request_submit(kind=kind, commune=world["a"], name="Phạm Thị Hoa", phone="0912 345 678")
    today = timezone.localdate()
    assert request.status == Status.VERIFYING and request.verified_at is None
    assert request.subject_phone == "+84912345678"
    assert request.received_on == today
    assert request.acknowledge_by == deadlines.acknowledge_by(today)
    assert request.complete_by == today + dt.timedelta(days=15)
