"""Events as a phone makes them, and a way to post a batch through the test client."""

import datetime as dt
import uuid

from django.utils import timezone

from congdongso.common.ids import new_id

URL = "/api/v1/sync"


def at(minutes_ago: float = 5) -> str:
    return (timezone.now() - dt.timedelta(minutes=minutes_ago)).isoformat()


def assist(household, resident=None, *, event_id=None, minutes_ago: float = 5, **payload) -> dict:
    body = {
        "household_id": str(household.pk), "resident_id": str(resident.pk) if resident else None,
        "services": ["vneid-level2"], "outcome": "refused", "channel": "door", "independent": False, "note": "",
        "follow_up_on": None, "campaign_id": None,
    }
    body.update(payload)
    return {"id": str(event_id or new_id()), "type": "assist", "occurred_at": at(minutes_ago), "payload": body}


def edit(household, fields: dict, *, minutes_ago: float = 5, event_id=None) -> dict:
    return {
        "id": str(event_id or new_id()), "type": "household_edit", "occurred_at": at(minutes_ago),
        "payload": {"household_id": str(household.pk), "fields": fields},
    }


def follow_up_done(follow_up, *, event_id=None) -> dict:
    return {
        "id": str(event_id or new_id()), "type": "follow_up_done", "occurred_at": at(1),
        "payload": {"follow_up_id": follow_up.pk},
    }


def create(village, *, household_id=None, consent=None, event_id=None, **fields) -> dict:
    payload = {"household_id": str(household_id or new_id()), "village_id": village.pk, "tags": [],
               "resident_count": 2, "consent": consent, **fields}
    return {"id": str(event_id or new_id()), "type": "household_create", "occurred_at": at(3), "payload": payload}


def post(client, events, *, device_id=None, cursor=None, pending=None, **headers):
    body = {"device_id": str(device_id or DEVICE), "cursor": cursor, "events": events}
    if pending is not None:
        body["pending"] = pending
    return client.post(URL, body, content_type="application/json", **headers)


def statuses(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [r["status"] for r in response.json()["results"]]


DEVICE = uuid.UUID("0190d2a4-0000-7000-8000-000000000001")
