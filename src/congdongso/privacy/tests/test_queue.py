"""The officers' queue: their communes only (others answer 404), nearest deadline first, overdue
warnings for acknowledgement and completion, paginated, an empty state."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.privacy.models import DataSubjectRequest, Kind
from congdongso.privacy.services import request_acknowledge, request_submit

pytestmark = pytest.mark.django_db

QUEUE = reverse("privacy:queue")


def text(response) -> str:
    return html.unescape(response.content.decode())


def _at(open_request, world, days_ago: int, kind=Kind.ACCESS, **fields):
    return open_request(kind, household=world["household"], received_on=timezone.localdate() - dt.timedelta(days=days_ago), **fields)


def test_the_queue_is_empty_at_first(client, world):
    client.force_login(world["officer_a"])
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert "Không có yêu cầu nào đang chờ xử lý." in text(response)
    assert reverse("privacy:new") in text(response)


def test_officers_see_their_communes_only_and_others_answer_404(client, world, open_request, make):
    mine = _at(open_request, world, 0)
    theirs = open_request(Kind.ACCESS, household=world["household_b"], commune=world["b"])
    client.force_login(world["officer_a"])
    page = text(client.get(QUEUE))
    assert mine.code in page and theirs.code not in page
    assert client.get(reverse("privacy:request", args=[theirs.pk])).status_code == 404
    for fmt in ("json", "xlsx"):
        assert client.get(reverse("privacy:export", args=[theirs.pk, fmt])).status_code == 404
    for step in ("verify", "link", "acknowledge", "complete", "refuse", "lift"):
        assert client.post(reverse("privacy:step", args=[theirs.pk, step]), {"outcome": "x" * 10}).status_code == 404
    assert DataSubjectRequest.objects.get(pk=theirs.pk).status == "received"
    # The province officer sees both; a member of a village team sees none, and no request page.
    client.force_login(world["province_officer"])
    page = text(client.get(QUEUE))
    assert mine.code in page and theirs.code in page
    client.force_login(world["member"])
    assert mine.code not in text(client.get(QUEUE))
    assert client.get(reverse("privacy:request", args=[mine.pk])).status_code == 404
    assert client.get(reverse("privacy:new")).status_code == 404


def test_nearest_deadline_first_with_overdue_warnings(client, world, open_request):
    fresh = _at(open_request, world, 0)
    late_ack = _at(open_request, world, 6)  # 6 days: past 2 working days, within 15 days
    late_done = _at(open_request, world, 20)
    request_acknowledge(request=late_done, actor_id=world["officer_a"].pk)  # acknowledged, but past 15 days
    client.force_login(world["officer_a"])
    page = text(client.get(QUEUE))
    # late_ack is due (acknowledgement) 6 days ago minus 2 working days; late_done's completion was
    # due 5 days ago: the nearest (earliest) deadline first.
    order = [late_done.code, late_ack.code, fresh.code] if late_done.complete_by < late_ack.acknowledge_by else [late_ack.code, late_done.code, fresh.code]
    positions = [page.index(code) for code in order]
    assert positions == sorted(positions)
    item = lambda code: page[page.index(code):].split("</li>")[0]  # noqa: E731
    assert "Quá hạn xác nhận" in item(late_ack.code) and "Quá hạn hoàn thành" not in item(late_ack.code)
    assert "Quá hạn hoàn thành" in item(late_done.code) and "Quá hạn xác nhận" not in item(late_done.code)
    assert "Quá hạn" not in item(fresh.code)
    overdue_only = text(client.get(QUEUE, {"overdue": "1"}))
    assert late_ack.code in overdue_only and late_done.code in overdue_only and fresh.code not in overdue_only


def test_unverified_public_requests_are_in_the_queue_and_finished_ones_leave_it(client, world, open_request):
    public = request_submit(kind=Kind.ERASE, commune=world["a"], name="Phạm Thị Hoa", phone="0912345678")
    done = _at(open_request, world, 0)
    from congdongso.privacy.services import request_complete
    request_complete(request=done, outcome="", actor_id=world["officer_a"].pk)
    client.force_login(world["officer_a"])
    page = text(client.get(QUEUE))
    assert public.code in page and "Chờ xác minh" in page and done.code not in page
    assert done.code in text(client.get(QUEUE, {"status": "all"}))
    assert done.code in text(client.get(QUEUE, {"status": "completed"}))


def test_the_queue_is_paginated(client, world, open_request):
    codes = [_at(open_request, world, 0).code for _ in range(27)]
    client.force_login(world["officer_a"])
    first = text(client.get(QUEUE))
    second = text(client.get(QUEUE, {"page": 2}))
    assert sum(code in first for code in codes) == 25 and sum(code in second for code in codes) == 2
    assert "Trang 1/2" in first


def test_an_officer_records_a_request_from_a_household(client, world):
    client.force_login(world["officer_a"])
    url = reverse("privacy:new") + f"?household={world['household'].pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": Kind.EXPORT, "commune": world["a"].pk, "details": "Xin bản sao dữ liệu."})
    created = DataSubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("privacy:request", args=[created.pk])
    assert created.household == world["household"] and created.channel == "officer" and created.created_by == world["officer_a"]
    # Another commune's household answers 404.
    assert client.get(reverse("privacy:new") + f"?household={world['household_b'].pk}").status_code == 404
    assert client.get(reverse("privacy:new") + "?household=not-a-uuid").status_code == 404


def test_a_commune_officer_cannot_record_for_another_commune(client, world, make):
    client.force_login(world["officer_a"])
    response = client.post(reverse("privacy:new"), {"kind": Kind.ACCESS, "commune": world["b"].pk,
                                                    "subject_name": "Phạm Thị Hoa", "subject_phone": "0912345678"})
    assert response.status_code == 200 and not DataSubjectRequest.objects.exists()
    assert "Lựa chọn không hợp lệ." in text(response)


def test_the_request_page_links_the_verified_household(client, world):
    request = request_submit(kind=Kind.ACCESS, commune=world["a"], name="hoang thi quynh xuyen", phone="0912 999 888")
    client.force_login(world["officer_a"])
    page = text(client.get(reverse("privacy:request", args=[request.pk])))
    assert str(world["household"].pk) in page  # found by the name, diacritics ignored
    assert str(world["household_b"].pk) not in page
    # A household that is not among the candidates cannot be linked.
    response = client.post(reverse("privacy:step", args=[request.pk, "verify"]), {"household": str(world["household_b"].pk)})
    assert response.status_code == 400
    response = client.post(reverse("privacy:step", args=[request.pk, "verify"]), {"household": str(world["household"].pk)})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.household == world["household"] and request.status == "received"
    from congdongso.audit.models import AuditEvent
    views = AuditEvent.objects.filter(action="privacy.view", object_id=str(request.pk))
    assert views.count() >= 1 and all(v.actor_id == world["officer_a"].pk and v.details == {} for v in views)
