"""POST /api/v1/outreach/assists is idempotent on the client's id; GET /worklist pages the worklist."""

import datetime as dt

import pytest
from django.utils import timezone

from congdongso.catalog.models import Adoption, AdoptionState
from congdongso.common.ids import new_id
from congdongso.outreach.models import Assist
from congdongso.outreach.tests.builders import make_household

URL = "/api/v1/outreach/assists"


@pytest.fixture
def home(place, catalogue, client):
    client.force_login(place["member"])
    household, (person,) = make_household(place["village"])
    return household, person


def _body(household, person, **changes):
    body = {
        "id": str(new_id()), "household_id": str(household.pk), "resident_id": str(person.pk),
        "services": ["vneid-level2"], "outcome": "done", "channel": "door", "independent": True,
        "occurred_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(), "note": "Đã cài VNeID",
    }
    body.update(changes)
    return body


def _post(client, body):
    return client.post(URL, body, content_type="application/json")


@pytest.mark.django_db
def test_accepted_then_duplicate_then_conflict(client, place, home):
    household, person = home
    body = _body(household, person)
    first = _post(client, body)
    assert first.status_code == 201
    assert first.json() == {
        "status": "accepted", "id": body["id"], "household_id": str(household.pk), "has_nucleus": False,
        "missing_skills": 4,
    }
    assert Adoption.objects.get(resident=person).state == AdoptionState.INDEPENDENT

    again = _post(client, body)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    # The same instant written another way is the same content.
    in_utc = dt.datetime.fromisoformat(body["occurred_at"]).astimezone(dt.UTC).isoformat()
    same = _post(client, {**body, "occurred_at": in_utc})
    assert same.status_code == 200

    conflict = _post(client, {**body, "outcome": "refused"})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "conflict"
    stored = Assist.objects.get()
    assert (str(stored.pk), stored.outcome, stored.member) == (body["id"], "done", place["member"])

    client.force_login(place["leader"])  # someone else replaying the id: not the same assist
    assert _post(client, body).status_code == 409
    assert Assist.objects.count() == 1


@pytest.mark.django_db
def test_bad_input_gets_a_reason_and_no_500(client, home, place, catalogue):
    household, person = home
    _other, (stranger,) = make_household(
        place["village"], head="Võ Văn Khác", residents=[("Võ Văn Khác", 1960, "none")]
    )
    cases = [
        ({"outcome": "great"}, 422, "invalid"),
        ({"services": []}, 422, "invalid"),
        ({"services": ["nope"]}, 422, "invalid"),
        ({"resident_id": str(stranger.pk)}, 422, "invalid"),
        ({"occurred_at": "yesterday"}, 422, "invalid"),
        ({"occurred_at": (timezone.now() + dt.timedelta(hours=2)).isoformat()}, 422, "invalid"),
        ({"note": "OTP 482913"}, 422, "invalid"),
        ({"id": "not-a-uuid"}, 422, "invalid"),
        ({"household_id": str(new_id())}, 404, "not_found"),
    ]
    for change, status, code in cases:
        response = _post(client, _body(household, person, **change))
        assert response.status_code == status, change
        error = response.json()["error"]
        assert error["code"] == code and error["message"], change
    assert _post(client, "{").status_code in (400, 422)
    assert not Assist.objects.exists()


@pytest.mark.django_db
def test_a_naive_time_is_local_time(client, home):
    household, person = home
    local = timezone.localtime().replace(tzinfo=None, microsecond=0) - dt.timedelta(hours=1)
    assert _post(client, _body(household, person, occurred_at=local.isoformat())).status_code == 201
    assert timezone.localtime(Assist.objects.get().occurred_at).replace(tzinfo=None) == local


@pytest.mark.django_db
def test_the_worklist_api_pages_households_neediest_first(client, place, home, catalogue):
    household, person = home
    trader, _ = make_household(place["village"], head="Hộ Buôn", tags={"business"})
    _post(client, _body(household, person))  # one skill less missing than the trader's household

    page = client.get("/api/v1/outreach/worklist", {"limit": 1}).json()
    assert page["count"] == 2
    assert [item["id"] for item in page["items"]] == [str(trader.pk)]
    rest = client.get("/api/v1/outreach/worklist", {"limit": 1, "offset": 1}).json()
    item = rest["items"][0]
    assert item["id"] == str(household.pk) and item["missing_skills"] == 4 and item["last_assist_at"]
    tagged = client.get("/api/v1/outreach/worklist", {"tag": "business"}).json()
    assert [i["tags"] for i in tagged["items"]] == [["business"]]
    bad = client.get("/api/v1/outreach/worklist", {"tag": "rich"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    assert client.get("/api/v1/outreach/worklist", {"limit": "x"}).status_code == 422
