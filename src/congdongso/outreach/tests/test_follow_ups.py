"""Follow-ups: "needs follow-up" opens one, a finished assist closes them, a member marks one done."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.common.ids import new_id
from congdongso.outreach.models import FollowUp, FollowUpStatus, Outcome
from congdongso.outreach.services import FOLLOW_UP_AFTER_DAYS, assist_record, follow_up_open
from congdongso.outreach.tests.builders import make_household


def _assist(place, household, outcome, **extra):
    return assist_record(
        assist_id=new_id(), member=place["member"], household=household, resident=None,
        service_codes=["vneid-level2"], outcome=outcome, occurred_at=timezone.now(), **extra,
    )


@pytest.mark.django_db
def test_needs_follow_up_opens_one_and_done_closes_them(place, catalogue):
    household, _ = make_household(place["village"])
    first = _assist(place, household, Outcome.NEEDS_FOLLOW_UP)
    (follow_up,) = FollowUp.objects.filter(household=household)
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.created_from == first
    assert follow_up.due_on == timezone.localdate() + dt.timedelta(days=FOLLOW_UP_AFTER_DAYS)
    assert follow_up.reason == "Định danh điện tử mức 2 (VNeID)"

    _assist(place, household, Outcome.PARTLY)  # not finished: still open
    assert FollowUp.objects.get().status == FollowUpStatus.OPEN
    done = _assist(place, household, Outcome.DONE)
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_by) == (FollowUpStatus.DONE, done)
    assert follow_up.closed_at is not None


@pytest.mark.django_db
def test_a_chosen_date_opens_a_follow_up_even_when_done(place, catalogue):
    household, _ = make_household(place["village"])
    due = timezone.localdate() + dt.timedelta(days=3)
    _assist(place, household, Outcome.DONE, follow_up_on=due)
    assert FollowUp.objects.get(household=household).due_on == due


@pytest.mark.django_db
def test_the_list_shows_overdue_first_and_a_member_marks_one_done(client, place, catalogue):
    household, _ = make_household(place["village"])
    today = timezone.localdate()
    late = follow_up_open(village_id=place["village"].pk, household=household, reason="Việc trễ hạn",
                          due_on=today - dt.timedelta(days=3))
    follow_up_open(village_id=place["village"].pk, household=None, reason="Việc hôm nay", due_on=today)
    follow_up_open(village_id=place["other_village"].pk, household=None, reason="Việc ấp khác", due_on=today)

    client.force_login(place["leader"])
    body = client.get(reverse("outreach:follow_ups")).content.decode()
    assert body.index("Việc trễ hạn") < body.index("Việc hôm nay")
    assert "Việc ấp khác" not in body
    assert "1 việc quá hạn" in body and "Đến hạn hôm nay" in body

    client.force_login(place["member"])
    response = client.post(reverse("outreach:follow_up_done", args=[late.pk]), follow=True)
    assert "Đã đánh dấu xong: Việc trễ hạn." in response.content.decode()
    late.refresh_from_db()
    assert late.status == FollowUpStatus.DONE and late.closed_by is None
    event = AuditEvent.objects.get(action="follow_up.done")
    assert (event.actor, event.object_id) == (place["member"], str(late.pk))

    again = client.post(reverse("outreach:follow_up_done", args=[late.pk]), follow=True)
    assert "Việc này đã được đóng trước đó." in again.content.decode()
    assert client.get(reverse("outreach:follow_up_done", args=[late.pk])).status_code == 405


@pytest.mark.django_db
def test_an_empty_list_says_so(client, place):
    client.force_login(place["member"])
    assert "Không có việc nào cần quay lại." in client.get(reverse("outreach:follow_ups")).content.decode()
