"""POST /api/v1/sync answers each event once: accepted, then duplicate; the same id with other
content is a conflict kept for review; a batch never half-applies."""

import pytest
from django.db import connection

from congdongso.audit.models import AuditEvent
from congdongso.catalog.models import Adoption
from congdongso.indicators.services import tallies_check
from congdongso.outreach import sync
from congdongso.outreach.models import Assist, ConflictStatus, FollowUp, SyncConflict
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import make_household


@pytest.fixture
def home(place, catalogue, client):
    client.force_login(place["member"])
    household, (person,) = make_household(place["village"])
    return household, person


@pytest.mark.django_db
def test_accepted_then_duplicate_then_conflict(client, place, home):
    household, person = home
    events = [
        s.assist(household),  # plain: the hot path
        s.assist(household, person, outcome="done", independent=True),  # adoption goes up: the services
        s.assist(household, outcome="needs_follow_up"),  # opens a follow-up: the services
    ]
    assert s.statuses(s.post(client, events)) == ["accepted"] * 3
    assert Assist.objects.count() == 3
    assert Adoption.objects.filter(resident=person).count() == 1
    assert FollowUp.objects.filter(household=household).count() == 1

    assert s.statuses(s.post(client, events)) == ["duplicate"] * 3
    assert Assist.objects.count() == 3

    changed = [{**e, "payload": {**e["payload"], "outcome": "partly"}} for e in events]
    answer = s.post(client, changed)
    assert s.statuses(answer) == ["conflict"] * 3
    assert {r["code"] for r in answer.json()["results"]} == {"conflict"}
    assert Assist.objects.count() == 3
    assert sorted(Assist.objects.values_list("outcome", flat=True)) == ["done", "needs_follow_up", "refused"]
    conflicts = SyncConflict.objects.order_by("pk")
    assert [c.status for c in conflicts] == [ConflictStatus.OPEN] * 3
    first = conflicts[0]
    assert (first.stored["outcome"], first.incoming["outcome"]) == ("refused", "partly")
    assert first.village_id == place["village"].pk and first.member == place["member"]
    # Sending the same conflicting version again keeps one conflict, and still answers conflict.
    assert s.statuses(s.post(client, changed)) == ["conflict"] * 3
    assert SyncConflict.objects.count() == 3
    assert tallies_check().ok


@pytest.mark.django_db
def test_the_same_instant_written_another_way_is_the_same_content(client, home):
    household, _person = home
    event = s.assist(household, note="  Đã   hướng dẫn ")
    assert s.statuses(s.post(client, [event])) == ["accepted"]
    from datetime import UTC, datetime

    in_utc = datetime.fromisoformat(event["occurred_at"]).astimezone(UTC).isoformat()
    again = {**event, "occurred_at": in_utc, "payload": {**event["payload"], "note": "Đã hướng dẫn"}}
    assert s.statuses(s.post(client, [again])) == ["duplicate"]


@pytest.mark.django_db
def test_an_id_twice_in_one_batch(client, home):
    household, _person = home
    event = s.assist(household)
    other = {**event, "payload": {**event["payload"], "outcome": "partly"}}
    assert s.statuses(s.post(client, [event, event, other])) == ["accepted", "duplicate", "conflict"]
    assert Assist.objects.count() == 1
    assert SyncConflict.objects.get().incoming["outcome"] == "partly"


@pytest.mark.django_db
def test_an_assist_id_reused_for_another_kind_of_event_is_a_conflict(client, home):
    household, _person = home
    event = s.assist(household)
    assert s.statuses(s.post(client, [event])) == ["accepted"]
    reused = s.edit(household, {"is_poor": True}, event_id=event["id"])
    assert s.statuses(s.post(client, [reused])) == ["conflict"]
    household.refresh_from_db()
    assert household.is_poor is False


@pytest.mark.django_db
def test_a_batch_that_fails_midway_leaves_nothing(client, home, monkeypatch):
    household, person = home
    events = [s.assist(household), s.assist(household, person, outcome="done"), s.edit(household, {"is_poor": True}),
              s.assist(household)]
    before_audit = AuditEvent.objects.count()
    real = sync._apply_other

    def crash(context, event):
        real(context, event)
        raise RuntimeError("the server died here")

    monkeypatch.setattr(sync, "_apply_other", crash)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        s.post(client, events)
    assert Assist.objects.count() == 0
    assert Adoption.objects.count() == 0
    household.refresh_from_db()
    assert household.is_poor is False
    assert AuditEvent.objects.count() == before_audit
    assert tallies_check().ok
    monkeypatch.undo()
    assert s.statuses(s.post(client, events)) == ["accepted"] * 4


@pytest.mark.django_db
def test_a_rejected_event_does_not_stop_the_others(client, place, home):
    household, _person = home
    good, bad = s.assist(household), s.assist(household, services=["no-such-service"])
    answer = s.post(client, [good, bad, s.assist(household)])
    assert s.statuses(answer) == ["accepted", "rejected", "accepted"]
    assert answer.json()["results"][1]["code"] == "invalid"
    assert Assist.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM outreach_syncevent")
        assert cursor.fetchone()[0] == 0
