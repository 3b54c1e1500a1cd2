"""A home-visit request becomes a follow-up on the village team's worklist when it is assigned (on the
household when it is known), and the report resolves when that follow-up closes: by the assist
recorded at the household, or by a member marking it done."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congdongso.catalog.seed import national_catalogue_ensure
from congdongso.catalog.models import Service
from congdongso.feedback.models import Status
from congdongso.feedback.services import report_assign, report_household_set, report_status_set
from congdongso.outreach.models import FollowUpStatus, Outcome
from congdongso.outreach.selectors import follow_ups_to_do
from congdongso.outreach.services import assist_record, follow_up_done

pytestmark = pytest.mark.django_db


def record_assist(world, outcome=Outcome.DONE):
    national_catalogue_ensure()
    return assist_record(
        assist_id=uuid.uuid4(), member=world["member_user"], household=world["household"], resident=None,
        service_codes=[Service.objects.order_by("sort_order").first().code], outcome=outcome,
        occurred_at=timezone.now(),
    )


def test_assigning_a_home_visit_puts_it_on_the_village_teams_worklist(world, submit_report):
    report = submit_report(world["village"])
    assert report.follow_up is None
    report_assign(report=report, team=world["team"], household=world["household"], actor_id=world["officer_a"].pk)
    follow_up = report.follow_up
    assert follow_up.village == world["village"] and follow_up.household == world["household"]
    assert follow_up.due_on == report.due_on and report.code in follow_up.reason
    assert list(follow_ups_to_do(world["member_user"])) == [follow_up]
    # Assigning again (to someone else) does not open a second one.
    report_assign(report=report, user=world["member_user"], actor_id=world["officer_a"].pk)
    assert type(follow_up).objects.count() == 1


def test_other_categories_open_no_follow_up(world, submit_report):
    report = submit_report(world["village"], category="connectivity")
    report_assign(report=report, team=world["team"], actor_id=None)
    assert report.follow_up is None


def test_the_assist_recorded_at_the_household_resolves_the_request(world, submit_report):
    report = submit_report(world["village"], contact_name="Bà Lan", contact_phone="0912345678", contact_consent=True)
    report_assign(report=report, user=world["member_user"], household=world["household"], actor_id=world["officer_a"].pk)
    record_assist(world, outcome=Outcome.PARTLY)  # not done yet: still open
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED
    record_assist(world)
    report.refresh_from_db()
    assert report.status == Status.RESOLVED and report.resolved_at is not None
    assert report.follow_up.status == FollowUpStatus.DONE
    assert report.notes.get(is_public=True).text == "Tổ công nghệ số cộng đồng đã đến hỗ trợ tại nhà."
    last = report.history.last()
    assert last.actor_id == world["member_user"].pk
    # Resolved is not closed: the contact stays until the officer closes the case.
    assert report.contact_phone == "+84912345678"


def test_a_household_known_later_is_tied_to_the_open_follow_up(world, submit_report):
    report = submit_report(world["village"])
    report_assign(report=report, team=world["team"], actor_id=None)
    assert report.follow_up.household is None
    report_household_set(report=report, household=world["household"], actor_id=world["member_user"].pk)
    report.follow_up.refresh_from_db()
    assert report.follow_up.household == world["household"]
    record_assist(world)
    report.refresh_from_db()
    assert report.status == Status.RESOLVED


def test_a_household_of_another_place_is_refused(world, submit_report, make):
    from congdongso.households.services import household_create

    elsewhere = household_create(village=world["other_village"], actor_id=None)
    report = submit_report(world["village"])
    report_assign(report=report, team=world["team"], actor_id=None)
    with pytest.raises(ValidationError):
        report_household_set(report=report, household=elsewhere, actor_id=None)


def test_a_member_marking_the_follow_up_done_resolves_it_too(world, submit_report):
    report = submit_report(world["village"])
    report_assign(report=report, team=world["team"], actor_id=None)
    follow_up_done(follow_up=report.follow_up, actor_id=world["member_user"].pk)
    report.refresh_from_db()
    assert report.status == Status.RESOLVED


def test_settling_the_report_by_hand_takes_the_follow_up_off_the_worklist(world, submit_report):
    rejected = submit_report(world["village"])
    report_assign(report=rejected, team=world["team"], actor_id=None)
    report_status_set(report=rejected, status=Status.REJECTED, reason="Gửi nhầm.", actor_id=None)
    rejected.follow_up.refresh_from_db()
    assert rejected.follow_up.status == FollowUpStatus.CANCELLED

    resolved = submit_report(world["village"])
    report_assign(report=resolved, team=world["team"], actor_id=None)
    report_status_set(report=resolved, status=Status.RESOLVED, actor_id=None, manager=False)
    resolved.follow_up.refresh_from_db()
    assert resolved.follow_up.status == FollowUpStatus.DONE
    assert list(follow_ups_to_do(world["member_user"])) == []


def test_the_assignee_ties_the_household_from_the_report_page(client, world, submit_report):
    import html

    from django.urls import reverse

    report = submit_report(world["village"])
    report_assign(report=report, team=world["team"], actor_id=world["officer_a"].pk)
    client.force_login(world["member_user"])
    page = html.unescape(client.get(reverse("feedback:report", args=[report.pk])).content.decode())
    assert "Gắn hộ gia đình" in page and "Trần Thị Lan — Số 5, ngõ 2" in page
    url = reverse("feedback:household", args=[report.pk])
    for garbage in ("", "not-a-uuid", str(uuid.uuid4()), "\x00"):
        response = client.post(url, {"household": garbage})
        assert response.status_code == 200
        text = html.unescape(response.content.decode())
        assert "Lựa chọn không hợp lệ." in text or "Hãy chọn hộ gia đình." in text or "ký tự NUL" in text
    assert client.post(url, {"household": str(world["household"].pk)}).status_code == 302
    report.refresh_from_db()
    report.follow_up.refresh_from_db()
    assert report.household == world["household"] == report.follow_up.household


def test_other_categories_offer_no_household_to_pick(client, world, submit_report):
    import html

    from django.urls import reverse

    report = submit_report(world["village"], category="connectivity")
    client.force_login(world["officer_a"])
    page = html.unescape(client.get(reverse("feedback:report", args=[report.pk])).content.decode())
    assert "Trần Thị Lan" not in page


def test_a_failure_in_feedback_never_stops_a_visit_being_recorded(world, submit_report, monkeypatch):
    from congdongso.feedback import services
    from congdongso.outreach.models import Assist

    report = submit_report(world["village"])
    report_assign(report=report, team=world["team"], household=world["household"], actor_id=None)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "_notify", broken)
    record_assist(world)
    assert Assist.objects.count() == 1
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED  # left for the officer
    assert report.follow_up.status == FollowUpStatus.DONE
