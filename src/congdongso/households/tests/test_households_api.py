"""The households API: scoped, paginated, personal details only under consent, views audited."""

import pytest

from congdongso.audit.models import AuditEvent
from congdongso.households.services import consent_withdraw, household_create, resident_add
from congdongso.households.tests.conftest import consented_household

pytestmark = pytest.mark.django_db


def test_personal_details_appear_only_under_consent(client, world):
    consented = consented_household(world["village_a"], head_name="Nguyễn Văn An", residents=("Nguyễn Văn An",))
    counts_only = household_create(village=world["village_a"], tags=("elderly",), resident_count=3, actor_id=None)
    resident_add(household=counts_only, device="feature_phone", actor_id=None)
    client.force_login(world["officer_a"])

    rows = {row["id"]: row for row in client.get("/api/v1/households/").json()}
    assert rows[str(consented.pk)]["head_name"] == "Nguyễn Văn An"
    assert rows[str(consented.pk)]["phone"] == "+84912345678"
    hidden = rows[str(counts_only.pk)]
    assert (hidden["head_name"], hidden["address_line"], hidden["phone"]) == (None, None, None)
    assert (hidden["tags"], hidden["resident_count"], hidden["has_consent"]) == (["elderly"], 3, False)

    detail = client.get(f"/api/v1/households/{consented.pk}").json()
    assert detail["consent"]["purposes"] == ["digital_support"] and detail["consent"]["notice_version"] == "2026-01"
    assert [r["display_name"] for r in detail["residents"]] == ["Nguyễn Văn An"]
    assert detail["residents"][0]["birth_year"] == 1970
    assert "given_by" not in detail["consent"]

    other = client.get(f"/api/v1/households/{counts_only.pk}").json()
    assert other["consent"] is None and other["residents"][0]["display_name"] is None
    assert other["residents"][0]["device"] == "feature_phone"

    consent_withdraw(household=consented, actor_id=None)
    after = client.get(f"/api/v1/households/{consented.pk}").json()
    assert after["head_name"] is None and after["residents"][0]["display_name"] is None


def test_views_with_personal_details_are_audited_with_ids_only(client, world):
    household = consented_household(world["village_a"], head_name="Nguyễn Văn An")
    client.force_login(world["officer_a"])
    client.get(f"/api/v1/households/{household.pk}")
    client.get("/api/v1/households/")
    view = AuditEvent.objects.get(action="household.view")
    assert (view.object_id, view.actor_id, view.details) == (str(household.pk), world["officer_a"].pk, {"page": "api"})
    listed = AuditEvent.objects.get(action="household.list")
    assert listed.details == {"households": [str(household.pk)]}


def test_limit_offset_and_bad_parameters(client, world):
    for _ in range(5):
        household_create(village=world["village_a"], actor_id=None)
    client.force_login(world["officer_a"])
    first = client.get("/api/v1/households/", {"limit": 2}).json()
    second = client.get("/api/v1/households/", {"limit": 2, "offset": 2}).json()
    assert len(first) == len(second) == 2 and not {r["id"] for r in first} & {r["id"] for r in second}
    assert len(client.get("/api/v1/households/", {"limit": 100000}).json()) == 5
    assert len(client.get("/api/v1/households/", {"limit": -3, "offset": -9}).json()) == 1
    assert client.get("/api/v1/households/", {"village": "9" * 40}).status_code in (200, 422)
    response = client.get("/api/v1/households/", {"limit": "many"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
