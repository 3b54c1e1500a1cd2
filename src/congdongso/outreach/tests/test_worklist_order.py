import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.common.ids import new_id
from congdongso.households.models import Device
from congdongso.outreach.models import Outcome
from congdongso.outreach.selectors import worklist
from congdongso.outreach.services import assist_record, follow_up_open
from congdongso.outreach.tests.builders import make_household, give_skills

ALL = ["public_services", "online_shopping", "online_payment", "online_safety", "local_platform"]


def _assisted(household, member, catalogue, days_ago):
    assist_record(
        assist_id=new_id(), member=member, household=household, resident=None, service_codes=["scam-awareness"],
        outcome=Outcome.REFUSED, occurred_at=timezone.now() - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def households(place, catalogue):
    village, member = place["village"], place["member"]
    today = timezone.localdate()
    made = {}
    for key in ("nucleus", "bare", "three", "due", "old", "recent", "later"):
        made[key], people = make_household(village, head=f"Hộ {key}")
        skills = {"nucleus": ALL, "bare": []}.get(key, ALL[:3])
        give_skills(people[0], catalogue, skills)
    # Due today counts; due tomorrow does not (yet).
    follow_up_open(village_id=village.pk, household=made["due"], reason="Quay lại", due_on=today)
    tomorrow = today + dt.timedelta(days=1)
    follow_up_open(village_id=village.pk, household=made["later"], reason="Quay lại", due_on=tomorrow)
    _assisted(made["old"], member, catalogue, days_ago=60)
    _assisted(made["recent"], member, catalogue, days_ago=2)
    _assisted(made["later"], member, catalogue, days_ago=1)
    for household in made.values():
        household.refresh_from_db()
    return made


def test_neediest_first_no_nucleus_then_due_then_missing_then_oldest_assist(place, households):
    order = [h.head_name for h in worklist(place["member"])]
    # "three" and "old"/"recent"/"later" all lack 2 skills: never assisted first, then the oldest.
    assert order == ["Hộ due", "Hộ bare", "Hộ three", "Hộ old", "Hộ recent", "Hộ later", "Hộ nucleus"]
    assert households["nucleus"].has_nucleus and households["bare"].missing_skills == 5


def test_filters_by_village_and_tag_and_keeps_to_scope(place, catalogue, make):
    village, other = place["village"], place["other_village"]
    trader, _ = make_household(village, head="Hộ buôn bán", tags={"business"})
    make_household(village, head="Hộ thường")
    make_household(other, head="Hộ ấp khác")
    member = place["member"]

    assert {h.head_name for h in worklist(member)} == {"Hộ buôn bán", "Hộ thường"}
    assert [h.pk for h in worklist(member, tag="business")] == [trader.pk]
    officer = make.user("province_officer", place["province"])
    assert {h.head_name for h in worklist(officer, village=other)} == {"Hộ ấp khác"}
    with pytest.raises(ValueError):
        worklist(member, tag="rich")


def test_the_page_lists_neediest_first_in_a_constant_number_of_queries(
    client, place, households, django_assert_max_num_queries
):
    client.force_login(place["member"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("outreach:worklist"))
    body = response.content.decode()
    assert body.index("Hộ due") < body.index("Hộ bare") < body.index("Hộ nucleus")
    assert "Đến hẹn quay lại" in body and "Chưa được hỗ trợ lần nào" in body
    # Names were shown: which households, by id only, is audited.
    event = AuditEvent.objects.get(action="household.list")
    assert sorted(event.details["households"]) == sorted(str(h.pk) for h in households.values())
    assert event.actor == place["member"]

    for n in range(10):
        make_household(place["village"], head=f"Hộ thêm {n}", residents=[("Bà Ba", 1950, Device.FEATURE_PHONE)])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("outreach:worklist")).status_code == 200


def test_filter_page_answers_empty_states_and_bad_input(client, place, households):
    client.force_login(place["member"])
    empty = client.get(reverse("outreach:worklist"), {"tag": "disability"})
    assert "Không có hộ nào khớp với bộ lọc." in empty.content.decode()
    bad = client.get(reverse("outreach:worklist"), {"tag": "rich", "village": "abc"})
    assert bad.status_code == 200
    assert "Lựa chọn không hợp lệ." in bad.content.decode()
    assert client.get(reverse("outreach:worklist"), {"village": place["other_village"].pk}).status_code == 404
    assert client.get(reverse("outreach:worklist"), {"page": "999"}).status_code == 200


def test_a_member_with_no_households_sees_an_empty_state(client, place):
    client.force_login(place["other_member"])
    body = client.get(reverse("outreach:worklist")).content.decode()
    assert "Chưa có hộ gia đình nào trong địa bàn của bạn." in body
