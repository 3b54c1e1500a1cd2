"""A phone hears of assists others record in its villages (the household's last-assist time changes),
not of its member's own, which it holds already; AssistActivity, which tells the feed where others
have worked, only ever moves forward."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from congdongso.common.ids import new_id
from congdongso.outreach import sync_changes
from congdongso.outreach.models import AssistActivity
from congdongso.outreach.services import activity_note, assist_record
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import make_household


def _sync(client, cursor=None, events=()):
    answer = s.post(client, list(events), cursor=cursor)
    assert answer.status_code == 200, answer.content[:300]
    return answer.json()


def _quiet_cursor(client) -> str:
    answer = _sync(client)
    while answer["more"]:
        answer = _sync(client, answer["cursor"])
    return answer["cursor"]


@pytest.mark.django_db
def test_own_assists_stay_home_and_others_come_through(client, place, catalogue, monkeypatch):
    monkeypatch.setattr(sync_changes, "MARGIN", dt.timedelta(0))
    named, _people = make_household(place["village"], head="Ngô Thị Hai")
    client.force_login(place["member"])
    cursor = _quiet_cursor(client)

    own = _sync(client, cursor, [s.assist(named, outcome="refused")])
    assert [r["status"] for r in own["results"]] == ["accepted"]
    assert own["changes"]["households"] == []
    assert AssistActivity.objects.filter(village_id=place["village"].pk, member_id=place["member"].pk).exists()

    assist_record(
        assist_id=new_id(), member=place["leader"], household=named, resident=None, service_codes=["vneid-level2"],
        outcome="partly", occurred_at=timezone.now() - dt.timedelta(minutes=1),
    )
    theirs = _sync(client, own["cursor"])
    assert [h["id"] for h in theirs["changes"]["households"]] == [str(named.pk)]
    assert theirs["changes"]["households"][0]["la"]

    # The leader, on their own phone, does not get their own assist back either, but does get the member's.
    leader = Client()
    leader.force_login(place["leader"])
    leader_cursor = _quiet_cursor(leader)
    assist_record(
        assist_id=new_id(), member=place["leader"], household=named, resident=None, service_codes=["vneid-level2"],
        outcome="refused", occurred_at=timezone.now(),
    )
    assert _sync(leader, leader_cursor)["changes"]["households"] == []


@pytest.mark.django_db
def test_activity_never_moves_back(place):
    later = timezone.now() + dt.timedelta(hours=1)
    AssistActivity.objects.create(village_id=place["village"].pk, member_id=place["member"].pk, last_received_at=later)
    activity_note(member_id=place["member"].pk, village_ids=[place["village"].pk, place["other_village"].pk])
    rows = dict(AssistActivity.objects.values_list("village_id", "last_received_at"))
    assert rows[place["village"].pk] == later
    assert rows[place["other_village"].pk] < later
