"""The changes a phone receives: everything in the member's scope on the first sync (personal details
only with consent), in pages; later syncs only what changed; an unreadable cursor starts again."""

import gzip
import json

import pytest

from congdongso.catalog.models import Adoption, AdoptionState, Service
from congdongso.common.ids import new_ids
from congdongso.households.models import Household, Resident
from congdongso.outreach import sync_changes
from congdongso.outreach.services import follow_up_open
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import make_household


@pytest.fixture
def homes(client, place, catalogue):
    client.force_login(place["member"])
    named, (person,) = make_household(place["village"], head="Ngô Thị Một")
    bare, _nobody = make_household(place["village"], consent=False)
    theirs, _people = make_household(place["other_village"], head="Người Xa")
    return {"named": named, "person": person, "bare": bare, "theirs": theirs}


def _sync(client, cursor=None, events=()):
    answer = s.post(client, list(events), cursor=cursor)
    assert answer.status_code == 200, answer.content[:300]
    return answer.json()


@pytest.mark.django_db
def test_the_first_sync_sends_the_scope_and_names_only_with_consent(client, homes, place):
    follow_up_open(village_id=place["village"].pk, household=homes["bare"], reason="Cài VNeID",
                   due_on=homes["bare"].created_at.date())
    body = _sync(client)
    changes = body["changes"]
    households = {h["id"]: h for h in changes["households"]}
    assert set(households) == {str(homes["named"].pk), str(homes["bare"].pk)}
    assert households[str(homes["named"].pk)]["hn"] == "Ngô Thị Một"
    assert "hn" not in households[str(homes["bare"].pk)] and "ph" not in households[str(homes["bare"].pk)]
    residents = {r["id"]: r for r in changes["residents"]}
    assert residents[str(homes["person"].pk)]["nm"] == "Nguyễn Văn Hai"
    assert all("nm" not in r for r in changes["residents"] if r["h"] == str(homes["bare"].pk))
    assert [f["r"] for f in changes["follow_ups"]] == ["Cài VNeID"]
    assert {v["id"] for v in changes["villages"]} == {place["village"].pk}
    assert {c["c"] for c in changes["catalog"]} >= {"vneid-level2", "scam-awareness"}
    assert body["more"] is False and body["reset"] is False
    assert "Người Xa" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.django_db
def test_pages_then_only_what_changed(client, homes, place, monkeypatch):
    monkeypatch.setattr(sync_changes, "HOUSEHOLDS_PER_PAGE", 1)
    monkeypatch.setattr(sync_changes, "MARGIN", sync_changes.dt.timedelta(0))
    first = _sync(client)
    assert first["more"] is True and len(first["changes"]["households"]) == 1
    assert first["changes"]["catalog"]  # the catalogue comes with the first page of a pass
    second = _sync(client, first["cursor"])
    assert second["more"] is False and len(second["changes"]["households"]) == 1
    assert second["changes"]["catalog"] == []
    seen = {h["id"] for h in first["changes"]["households"] + second["changes"]["households"]}
    assert seen == {str(homes["named"].pk), str(homes["bare"].pk)}

    quiet = _sync(client, second["cursor"])
    assert quiet["changes"]["households"] == [] and quiet["changes"]["catalog"] == []

    # An assist on one household (sent with this sync) brings back that household only, with its new state.
    after = _sync(client, quiet["cursor"], [s.assist(homes["named"], homes["person"], outcome="done", independent=True)])
    assert [r["status"] for r in after["results"]] == ["accepted"]
    assert [h["id"] for h in after["changes"]["households"]] == [str(homes["named"].pk)]
    assert after["changes"]["households"][0]["la"]
    assert after["changes"]["adoption"] == [{"r": str(homes["person"].pk), "s": "vneid-level2", "st": "independent"}]


@pytest.mark.django_db
def test_an_unreadable_cursor_starts_again(client, homes):
    for cursor in ("not-a-cursor", "eyJ2IjoxfQ", "W10"):
        body = _sync(client, cursor)
        assert body["reset"] is True
        assert len(body["changes"]["households"]) == 2


@pytest.mark.django_db
def test_a_cursor_from_another_scope_starts_again(client, homes, place):
    cursor = _sync(client)["cursor"]
    client.force_login(place["other_member"])
    body = _sync(client, cursor)
    assert body["reset"] is True
    assert [h["id"] for h in body["changes"]["households"]] == [str(homes["theirs"].pk)]


@pytest.mark.django_db
def test_the_first_sync_of_300_households_fits_in_100_kb_gzipped(client, place, catalogue):
    client.force_login(place["member"])
    village = place["village"]
    ids = new_ids(300)
    Household.objects.bulk_create([
        Household(id=pk, village=village, resident_count=3, has_consent=n % 3 == 0,
                  head_name=f"Nguyễn Văn Hộ {n}" if n % 3 == 0 else "", phone="+84912345678" if n % 3 == 0 else "",
                  address_line=f"Tổ {n % 12}, ấp Tân Lợi" if n % 3 == 0 else "", is_poor=n % 7 == 0,
                  has_elderly=n % 2 == 0, missing_skills=5 - n % 5)
        for n, pk in enumerate(ids)
    ])
    residents = [
        Resident(id=rid, household_id=hid, device="smartphone", sex="female",
                 display_name=f"Thành viên {k}" if n % 3 == 0 else "", birth_year=1970 + k if n % 3 == 0 else None)
        for n, hid in enumerate(ids) for k, rid in enumerate(new_ids(3))
    ]
    Resident.objects.bulk_create(residents)
    services = list(Service.objects.filter(province__isnull=True)[:4])
    Adoption.objects.bulk_create([
        Adoption(resident=r, service=service, state=AdoptionState.ASSISTED)
        for r in residents[::2] for service in services[:2]
    ])
    answer = s.post(client, [])
    body = answer.content
    assert len(answer.json()["changes"]["households"]) == 300
    gzipped = len(gzip.compress(body))
    assert gzipped <= 100_000, gzipped
    served = s.post(client, [], HTTP_ACCEPT_ENCODING="gzip")
    assert served["Content-Encoding"] == "gzip" and len(served.content) <= 100_000
