"""The hot path for plain assists stores exactly what assist_submit stores: the same assists, the same
audit rows and the same tallies (and rebuild_tallies finds nothing to change)."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.campaigns.models import Campaign
from congdongso.common.ids import new_id
from congdongso.indicators.models import Tally
from congdongso.indicators.services import tallies_check
from congdongso.outreach import sync
from congdongso.outreach.models import Assist
from congdongso.outreach.services import assist_submit
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import make_household

Rollback = type("Rollback", (Exception,), {})


def _snapshot(ids):
    assists = {
        a["id"]: {k: v for k, v in a.items() if k != "received_at"}
        for a in Assist.objects.filter(pk__in=ids).values()
    }
    audits = sorted(
        AuditEvent.objects.filter(object_id__in=[str(i) for i in ids]).values_list(
            "actor_id", "action", "object_type", "object_id", "unit_id", "details"
        ),
        key=str,
    )
    tallies = sorted(Tally.objects.values_list("unit_id", "period", "metric", "value"))
    return assists, audits, tallies


@pytest.mark.django_db
def test_plain_assists_store_what_assist_submit_stores(client, place, catalogue, monkeypatch):
    member = place["member"]
    client.force_login(member)
    campaign = Campaign.objects.create(
        name="Ra quân", unit=place["province"], starts_on=timezone.localdate() - dt.timedelta(days=200),
        ends_on=timezone.localdate() + dt.timedelta(days=1)
    )
    household, (person,) = make_household(place["village"])
    bare, _nobody = make_household(place["village"], consent=False)
    base = timezone.now() - dt.timedelta(days=120)
    plans = [
        (household, None, ["scam-awareness", "vneid-level2"], "done", "door", True, "  Đã  cài ", None),
        (household, person, ["cashless-account"], "refused", "phone", False, "", campaign.pk),
        (bare, None, ["telehealth", "vneid-level2", "online-shopping"], "done", "event", False, "", campaign.pk),
        (bare, None, ["merchant-qr"], "partly", "zalo", False, "hẹn tuần sau", None),
    ]
    events = []
    for n, (hh, resident, codes, outcome, channel, independent, note, campaign_id) in enumerate(plans * 3):
        occurred = base + dt.timedelta(days=n * 9, minutes=n)
        events.append((new_id(), hh, resident, codes, outcome, channel, independent, note, campaign_id, occurred))
    ids = [e[0] for e in events]

    try:
        with transaction.atomic():
            for event_id, hh, resident, codes, outcome, channel, independent, note, campaign_id, occurred in events:
                assist_submit(
                    assist_id=event_id, member=member, household=hh, resident=resident, service_codes=codes,
                    outcome=outcome, channel=channel, occurred_at=occurred, independent=independent, note=note,
                    campaign_id=campaign_id,
                )
            expected = _snapshot(ids)
            raise Rollback
    except Rollback:
        pass
    assert Assist.objects.count() == 0

    slow = []
    monkeypatch.setattr(sync, "_slow_assist", lambda context, event: slow.append(event))
    batch = [
        {"id": str(event_id), "type": "assist", "occurred_at": occurred.isoformat(), "payload": {
            "household_id": str(hh.pk), "resident_id": str(resident.pk) if resident else None, "services": codes,
            "outcome": outcome, "channel": channel, "independent": independent, "note": note,
            "campaign_id": campaign_id,
        }}
        for event_id, hh, resident, codes, outcome, channel, independent, note, campaign_id, occurred in events
    ]
    assert s.statuses(s.post(client, batch)) == ["accepted"] * len(batch)
    assert slow == []  # every one took the hot path
    got = _snapshot(ids)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    assert got[2] == expected[2]
    assert tallies_check().ok


@pytest.mark.django_db
def test_a_done_assist_on_a_household_with_an_open_follow_up_closes_it(client, place, catalogue):
    client.force_login(place["member"])
    household, _people = make_household(place["village"])
    opened = s.assist(household, outcome="needs_follow_up", minutes_ago=30)
    done = s.assist(household, outcome="done", minutes_ago=10)
    assert s.statuses(s.post(client, [opened, done])) == ["accepted", "accepted"]
    follow_up = household.follow_ups.get()
    assert follow_up.status == "done" and str(follow_up.closed_by_id) == done["id"]
    assert tallies_check().ok
