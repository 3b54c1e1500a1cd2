"""Routing and the scope gate: a report lands in the inbox of the commune it names; officers see only
their scope, members only what they were given; anything else answers 404, never 403."""

import html

import pytest
from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.feedback.models import Report
from congdongso.feedback.services import report_assign

pytestmark = pytest.mark.django_db


def inbox_codes(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("feedback:inbox"), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_each_commune_sees_only_its_own_reports(client, world, submit_report):
    mine = submit_report(world["village"])
    theirs = submit_report(world["village_b"], category="scam", text="Có người gọi giả danh công an xã.")
    page = inbox_codes(client, world["officer_a"])
    assert mine.code in page and theirs.code not in page
    page = inbox_codes(client, world["officer_b"])
    assert theirs.code in page and mine.code not in page
    page = inbox_codes(client, world["province_officer"])
    assert mine.code in page and theirs.code in page


def test_another_communes_officer_gets_404_on_every_page_and_action(client, world, submit_report):
    report = submit_report(world["village"], contact_name="Bà Lan", contact_phone="0912345678", contact_consent=True)
    client.force_login(world["officer_b"])
    urls = [
        reverse("feedback:report", args=[report.pk]),
        reverse("feedback:assign", args=[report.pk]),
        reverse("feedback:status_change", args=[report.pk]),
        reverse("feedback:note", args=[report.pk]),
        reverse("feedback:household", args=[report.pk]),
    ]
    assert client.get(urls[0]).status_code == 404
    for url in urls[1:]:
        assert client.post(url, {"assignee": f"team:{world['team'].pk}", "status": "rejected", "reason": "x", "text": "x"}).status_code == 404
    # Guessing neighbouring ids finds nothing either.
    for guess in (report.pk - 1, report.pk + 1, 10**12):
        assert client.get(reverse("feedback:report", args=[guess])).status_code == 404
    report.refresh_from_db()
    assert report.status == "new" and report.assigned_team is None and not report.notes.exists()


def test_a_member_sees_only_reports_given_to_them_or_their_team(client, world, submit_report, make):
    given = submit_report(world["village"])
    not_given = submit_report(world["village"], category="suggestion", text="Đề nghị mở lớp dạy dùng điện thoại.")
    member = world["member_user"]
    page = inbox_codes(client, member)
    assert given.code not in page and "Không có phản ánh nào" in page
    report_assign(report=given, team=world["team"], actor_id=world["officer_a"].pk)
    page = inbox_codes(client, member)
    assert given.code in page and not_given.code not in page
    assert client.get(reverse("feedback:report", args=[not_given.pk])).status_code == 404
    # Members handle, but do not assign or reject.
    assert client.get(reverse("feedback:report", args=[given.pk])).status_code == 200
    assert client.post(reverse("feedback:assign", args=[given.pk]), {"assignee": f"team:{world['team'].pk}"}).status_code == 403
    refused = client.post(reverse("feedback:status_change", args=[given.pk]), {"status": "rejected", "reason": "Không"})
    assert refused.status_code == 200 and "Lựa chọn không hợp lệ." in html.unescape(refused.content.decode())
    # A member of another village's team, with no assignment, sees nothing.
    stranger = make.user(Role.MEMBER, world["other_village"])
    make.member(make.team(world["other_village"]), user=stranger)
    client.force_login(stranger)
    assert client.get(reverse("feedback:report", args=[given.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world, submit_report):
    report = submit_report(world["village"])
    response = client.get(reverse("feedback:report", args=[report.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_filters_and_garbage_parameters(client, world, submit_report):
    scam = submit_report(world["village"], category="scam", text="Tin nhắn giả ngân hàng đòi mã.")
    visit = submit_report(world["village"])
    page = inbox_codes(client, world["officer_a"], category="scam")
    assert scam.code in page and visit.code not in page
    page = inbox_codes(client, world["officer_a"], code=visit.code.lower())
    assert visit.code in page and scam.code not in page
    for params in ({"status": "\x00"}, {"category": "x" * 999}, {"page": "-1"}, {"code": "\x00" * 50}, {"overdue": "1"}):
        inbox_codes(client, world["officer_a"], **params)
    assert Report.objects.count() == 2


def test_viewing_contact_details_is_audited_without_the_details(client, world, submit_report):
    from congdongso.audit.models import AuditEvent

    report = submit_report(world["village"], contact_name="Bà Lan", contact_phone="0912345678", contact_consent=True)
    client.force_login(world["officer_a"])
    page = html.unescape(client.get(reverse("feedback:report", args=[report.pk])).content.decode())
    assert "Bà Lan" in page and "0912 345 678" in page
    event = AuditEvent.objects.get(action="feedback.contact_view")
    assert event.actor_id == world["officer_a"].pk and event.object_id == str(report.pk) and event.details == {}
