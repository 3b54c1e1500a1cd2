"""Unusual volumes: a person whose views over the last 7 days average more than 10× their usual day
(the mean of the 28 days before, at least USUAL_FLOOR_PER_DAY) is listed for the province."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congdongso.accounts.models import Role
from congdongso.audit.models import AccessChannel, AccessLog
from congdongso.audit.selectors import USUAL_FLOOR_PER_DAY, unusual_volumes

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _views(actor, village, *, days_ago: float, households: int) -> None:
    AccessLog.objects.create(
        actor=actor, channel=AccessChannel.PAGE, what="household.list", unit_id=village.pk,
        households=households, occurred_at=NOW - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def province_world(two_communes, make):
    officer = make.user(Role.PROVINCE_OFFICER, two_communes["province"])
    return {**two_communes, "province_officer": officer}


@pytest.mark.django_db
def test_ten_times_the_usual_is_flagged_and_nine_is_not(province_world, make):
    village = province_world["village_a"]
    busy, steady = make.user(Role.MEMBER, village), make.user(Role.MEMBER, village)
    for member in (busy, steady):
        # Usual: 20 households a day for 28 days (8 to 35 days ago).
        for day in range(8, 36):
            _views(member, village, days_ago=day, households=20)
    # Last 7 days: busy 201/day (> 10 × 20), steady 180/day (9 ×).
    _views(busy, village, days_ago=2, households=201 * 7)
    _views(steady, village, days_ago=2, households=180 * 7)
    with CaptureQueriesContext(connection) as queries:
        rows = unusual_volumes(province_world["province_officer"], now=NOW)
    assert [row.actor for row in rows] == [busy]
    assert rows[0].recent == 201 * 7 and rows[0].usual_per_day == 20
    assert len(queries) <= 3  # the grouped query, the users, and the scope


@pytest.mark.django_db
def test_a_new_member_is_judged_against_the_floor(province_world, make):
    village = province_world["village_a"]
    new, eager = make.user(Role.MEMBER, village), make.user(Role.MEMBER, village)
    threshold = USUAL_FLOOR_PER_DAY * 10 * 7
    _views(new, village, days_ago=1, households=threshold)  # exactly 10× the floor: not more
    _views(eager, village, days_ago=1, households=threshold + 1)
    assert [row.actor for row in unusual_volumes(province_world["province_officer"], now=NOW)] == [eager]


@pytest.mark.django_db
def test_views_older_than_the_windows_or_in_another_province_do_not_count(province_world, make):
    village = province_world["village_a"]
    member = make.user(Role.MEMBER, village)
    _views(member, village, days_ago=40, households=10_000)  # before the 35 days
    elsewhere = make.village()
    _views(member, elsewhere, days_ago=1, households=10_000)  # not this province's households
    assert unusual_volumes(province_world["province_officer"], now=NOW) == []


@pytest.mark.django_db
def test_the_page_lists_the_flagged_people(client, login, province_world, make):
    member = make.user(Role.MEMBER, province_world["village_b"])
    AccessLog.objects.create(
        actor=member, channel=AccessChannel.SYNC, what="sync", unit_id=province_world["village_b"].pk, households=5000,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
    )
    login(client, province_world["province_officer"])
    response = client.get(reverse("audit:volumes"))
    assert response.status_code == 200
    assert f'data-actor="{member.pk}"' in response.content.decode()
