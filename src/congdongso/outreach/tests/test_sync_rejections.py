"""Invalid or out-of-scope events are rejected one by one, with a code and a Vietnamese message; a
household outside the member's scope answers exactly as one that does not exist."""

import pytest

from congdongso.common.ids import new_id
from congdongso.households.models import Household
from congdongso.outreach.models import Assist, FollowUp
from congdongso.outreach.services import follow_up_open
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import make_household


@pytest.fixture
def homes(client, place, catalogue):
    client.force_login(place["member"])
    mine, (person,) = make_household(place["village"])
    theirs, _people = make_household(place["other_village"])
    bare, _nobody = make_household(place["village"], consent=False)
    return {"mine": mine, "person": person, "theirs": theirs, "bare": bare}


def _results(answer):
    assert answer.status_code == 200
    return [(r["status"], r.get("code")) for r in answer.json()["results"]]


@pytest.mark.django_db
def test_an_out_of_scope_household_looks_like_a_missing_one(client, homes):
    class Ghost:
        pk = new_id()

    answer = s.post(client, [s.assist(homes["theirs"]), s.assist(Ghost()), s.edit(homes["theirs"], {"is_poor": True})])
    results = answer.json()["results"]
    assert _results(answer) == [("rejected", "unknown_household")] * 3
    assert results[0]["message"] == results[1]["message"] and results[0]["message"]
    assert Assist.objects.count() == 0
    homes["theirs"].refresh_from_db()
    assert homes["theirs"].is_poor is False


@pytest.mark.django_db
def test_villages_and_follow_ups_outside_the_scope_are_rejected(client, homes, place):
    theirs = follow_up_open(village_id=place["other_village"].pk, household=homes["theirs"], reason="Hẹn",
                            due_on=homes["theirs"].created_at.date())
    answer = s.post(client, [s.create(place["other_village"]), s.follow_up_done(theirs)])
    assert _results(answer) == [("rejected", "out_of_scope"), ("rejected", "unknown_follow_up")]
    assert FollowUp.objects.get(pk=theirs.pk).status == "open"
    assert not Household.objects.filter(village=place["other_village"]).exclude(pk=homes["theirs"].pk).exists()


@pytest.mark.django_db
def test_bad_events_are_answered_one_by_one(client, homes):
    mine = homes["mine"]
    events = [
        s.assist(mine, outcome="great"),  # not an outcome
        {"id": str(new_id()), "type": "teleport", "occurred_at": s.at(), "payload": {}},
        {**s.assist(mine), "occurred_at": "2026-11-01T10:00:00"},  # no offset
        s.assist(mine, note="mật khẩu VNeID: an1970"),  # a password is never stored
        s.assist(mine, minutes_ago=-60),  # an hour in the future
        s.assist(mine, resident_id=str(homes["person"].pk), household_id=str(homes["bare"].pk)),  # someone else's
        s.edit(mine, {"is_poor": True}, minutes_ago=-600),  # an edit "made" tomorrow would win every later one
        s.assist(mine),
    ]
    answer = s.post(client, events)
    results = _results(answer)
    assert [status for status, _code in results] == ["rejected"] * 7 + ["accepted"]
    assert results[0][1] == results[1][1] == results[2][1] == "invalid"
    assert results[3][1].startswith("sensitive")
    assert all(r["message"] for r in answer.json()["results"][:7])
    assert Assist.objects.count() == 1


@pytest.mark.django_db
def test_personal_details_without_consent_are_refused(client, homes, place):
    answer = s.post(client, [
        s.edit(homes["bare"], {"head_name": "Đỗ Văn Tám"}),
        s.create(place["village"], head_name="Đỗ Văn Chín"),
        s.edit(homes["bare"], {"resident_count": 6}),
    ])
    assert _results(answer) == [("rejected", "consent_required"), ("rejected", "consent_required"), ("accepted", None)]
    homes["bare"].refresh_from_db()
    assert (homes["bare"].head_name, homes["bare"].resident_count) == ("", 6)


@pytest.mark.django_db
def test_a_new_household_with_consent_and_an_edit_in_the_same_batch(client, place):
    client.force_login(place["member"])
    household_id = new_id()
    consent = {"given_by": "Anh Mười", "method": "spoken", "purposes": ["digital_support"], "notice_version": "2026-01"}
    created = s.create(place["village"], household_id=household_id, consent=consent, head_name="Võ Văn Mười",
                       tags=["elderly"], phone="0912345678")
    edit = s.edit(type("H", (), {"pk": household_id}), {"address_line": "Ấp Tân Lợi, số 5"}, minutes_ago=1)
    assert _results(s.post(client, [created, edit])) == [("accepted", None), ("accepted", None)]
    household = Household.objects.get(pk=household_id)
    assert (household.head_name, household.address_line, household.has_elderly, household.has_consent) == (
        "Võ Văn Mười", "Ấp Tân Lợi, số 5", True, True)
    assert _results(s.post(client, [created, edit])) == [("duplicate", None), ("duplicate", None)]
    again = s.create(place["village"], household_id=household_id)
    assert _results(s.post(client, [again])) == [("rejected", "household_exists")]
