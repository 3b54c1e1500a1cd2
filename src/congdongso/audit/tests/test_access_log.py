"""Every view of households' personal details writes an access row: who, when, what, how many
households and people — ids and counts, never a name. Counts-only households are not logged."""

import json

import pytest
from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.audit.models import AccessChannel, AccessLog
from congdongso.catalog.services import merchant_account_save
from congdongso.outreach.tests.builders import make_household

HEAD = "Lò Thị Sáu"


@pytest.fixture
def world(db, make):
    commune = make.commune()
    village = make.village(commune)
    household, people = make_household(
        village, head=HEAD, residents=((HEAD, 1970, "smartphone"), ("Lò Văn Bảy", 1968, "feature_phone")),
    )
    counts_only, _ = make_household(village, consent=False)
    return {
        "village": village, "household": household, "people": people, "counts_only": counts_only,
        "officer": make.user(Role.COMMUNE_OFFICER, commune), "member": make.user(Role.MEMBER, village),
    }


def _only_row() -> AccessLog:
    (row,) = AccessLog.objects.all()
    return row


def _no_names(row: AccessLog) -> None:
    stored = json.dumps([row.what, row.household_ids, str(row.household_id)], ensure_ascii=False)
    assert HEAD not in stored and "Bảy" not in stored


@pytest.mark.parametrize(
    ("url_name", "what"),
    [("households:detail", "household.detail"), ("households:details", "household.details"),
     ("outreach:visit", "visit")],
)
def test_a_household_page_records_who_saw_which_household(client, login, world, url_name, what):
    login(client, world["officer"] if url_name.startswith("households") else world["member"])
    assert client.get(reverse(url_name, args=[world["household"].pk])).status_code == 200
    row = _only_row()
    actor = world["officer"] if url_name.startswith("households") else world["member"]
    assert (row.actor_id, row.what, row.channel) == (actor.pk, what, AccessChannel.PAGE)
    assert (row.household_id, row.unit_id, row.households, row.people) == (
        world["household"].pk, world["village"].pk, 1, 2
    )
    _no_names(row)


def test_the_resident_page_is_recorded(client, login, world):
    login(client, world["officer"])
    assert client.get(reverse("households:resident_edit", args=[world["people"][0].pk])).status_code == 200
    assert _only_row().what == "household.resident"


def test_the_stored_payment_account_is_recorded(client, login, world):
    merchant_account_save(
        household=world["household"], bank="vietinbank", account_number="113366668888", account_name=HEAD,
        shop_name="Tạp hóa Sáu", owner_consents=True, actor_id=None,
    )
    login(client, world["member"])
    assert client.get(reverse("catalog:vietqr_household", args=[world["household"].pk])).status_code == 200
    row = _only_row()
    assert (row.what, row.household_id) == ("vietqr", world["household"].pk)


def test_a_counts_only_household_is_not_recorded(client, login, world):
    login(client, world["officer"])
    assert client.get(reverse("households:detail", args=[world["counts_only"].pk])).status_code == 200
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("url", "what", "channel"),
    [("/households/", "household.list", AccessChannel.PAGE), ("/outreach/", "worklist", AccessChannel.PAGE),
     ("/api/v1/households/", "household.api_list", AccessChannel.API),
     ("/api/v1/outreach/worklist", "worklist.api", AccessChannel.API)],
)
def test_a_list_is_one_row_per_village_with_the_ids_of_consenting_households(client, login, world, url, what, channel):
    login(client, world["member"])
    assert client.get(url).status_code == 200
    row = _only_row()
    assert (row.what, row.channel, row.unit_id, row.households, row.people) == (
        what, channel, world["village"].pk, 1, 2
    )
    assert row.household_ids == [str(world["household"].pk)]
    _no_names(row)


def test_the_api_household_is_recorded(client, login, world):
    login(client, world["officer"])
    assert client.get(f"/api/v1/households/{world['household'].pk}").status_code == 200
    row = _only_row()
    assert (row.what, row.channel, row.household_id) == ("household.api", AccessChannel.API, world["household"].pk)


def test_the_sync_feed_is_recorded(client, login, world):
    login(client, world["member"])
    body = {"device_id": "0190f5a0-0000-7000-8000-000000000001", "events": [], "cursor": None}
    response = client.post("/api/v1/sync", body, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    row = _only_row()
    assert (row.what, row.channel, row.households, row.people) == ("sync", AccessChannel.SYNC, 1, 2)
    assert row.household_ids == [str(world["household"].pk)]


def test_an_out_of_scope_request_records_nothing(client, login, world, make):
    login(client, make.user(Role.MEMBER, make.village()))
    assert client.get(reverse("households:detail", args=[world["household"].pk])).status_code == 404
    assert not AccessLog.objects.exists()
