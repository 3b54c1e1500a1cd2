"""A commune officer sees both versions of a conflicting event and keeps one; the choice is audited;
keeping the phone's version rewrites the assist and moves its tallies; other communes see nothing."""

import pytest

from congdongso.accounts.models import Role
from congdongso.audit.models import AuditEvent
from congdongso.households.models import ConsentMethod, ConsentPurpose, HouseholdFieldVersion
from congdongso.households.services import consent_withdraw
from congdongso.indicators.services import tallies_check
from congdongso.outreach.models import Assist, ConflictStatus, SyncConflict
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import make_household


@pytest.fixture
def conflicted(client, place, catalogue, make):
    """An assist stored as "refused", then sent again as "done" for the household head."""
    client.force_login(place["member"])
    household, (person,) = make_household(place["village"])
    event = s.assist(household, note="Lần đầu")
    assert s.statuses(s.post(client, [event])) == ["accepted"]
    changed = {**event, "payload": {**event["payload"], "outcome": "done", "resident_id": str(person.pk),
                                    "independent": True}}
    assert s.statuses(s.post(client, [changed])) == ["conflict"]
    client.logout()
    officer = make.user(Role.COMMUNE_OFFICER, place["village"].parent)
    return {"conflict": SyncConflict.objects.get(), "household": household, "person": person, "officer": officer,
            "event": event}


@pytest.mark.django_db
def test_the_officer_sees_both_versions_and_keeps_the_stored_one(client, conflicted):
    client.force_login(conflicted["officer"])
    listing = client.get("/outreach/conflicts/").content.decode()
    assert f'data-conflict="{conflicted["conflict"].pk}"' in listing
    page = client.get(f"/outreach/conflicts/{conflicted['conflict'].pk}/")
    html = page.content.decode()
    assert "Người dân từ chối" in html and "Đã xong" in html  # the two outcomes, side by side
    answer = client.post(f"/outreach/conflicts/{conflicted['conflict'].pk}/", {"keep": "kept_stored"})
    assert answer.status_code == 302
    assert SyncConflict.objects.get().status == ConflictStatus.KEPT_STORED
    assert Assist.objects.get().outcome == "refused"
    audit = AuditEvent.objects.get(action="sync_conflict.kept_stored")
    assert audit.actor == conflicted["officer"] and audit.object_id == str(conflicted["conflict"].pk)
    # Decided once: a second choice is refused.
    client.post(f"/outreach/conflicts/{conflicted['conflict'].pk}/", {"keep": "kept_incoming"})
    assert SyncConflict.objects.get().status == ConflictStatus.KEPT_STORED


@pytest.mark.django_db
def test_keeping_the_phones_version_rewrites_the_assist_and_its_tallies(client, conflicted):
    client.force_login(conflicted["officer"])
    client.post(f"/outreach/conflicts/{conflicted['conflict'].pk}/", {"keep": "kept_incoming"})
    assist = Assist.objects.get()
    assert (assist.outcome, assist.resident_id, assist.independent) == ("done", conflicted["person"].pk, True)
    assert conflicted["person"].adoptions.get().state == "independent"
    assert AuditEvent.objects.filter(action="sync_conflict.kept_incoming").count() == 1
    assert tallies_check().ok


@pytest.mark.django_db
def test_other_communes_and_members_see_no_conflict(client, conflicted, place, make):
    stranger = make.user(Role.COMMUNE_OFFICER, place["other_village"].parent)
    client.force_login(stranger)
    assert f'data-conflict="{conflicted["conflict"].pk}"' not in client.get("/outreach/conflicts/").content.decode()
    assert client.get(f"/outreach/conflicts/{conflicted['conflict'].pk}/").status_code == 404
    assert client.post(f"/outreach/conflicts/{conflicted['conflict'].pk}/", {"keep": "kept_incoming"}).status_code == 404
    client.force_login(place["member"])
    assert client.get(f"/outreach/conflicts/{conflicted['conflict'].pk}/").status_code == 404
    assert SyncConflict.objects.get().status == ConflictStatus.OPEN


@pytest.mark.django_db
def test_names_kept_in_conflicts_go_when_consent_is_withdrawn(client, place, catalogue):
    client.force_login(place["member"])
    household, _people = make_household(place["village"])
    event = s.edit(household, {"head_name": "Phạm Văn Sáu"})
    assert s.statuses(s.post(client, [event])) == ["accepted"]
    other = {**event, "payload": {**event["payload"], "fields": {"head_name": "Phạm Văn Bảy"}}}
    assert s.statuses(s.post(client, [other])) == ["conflict"]
    consent_withdraw(household=household, actor_id=None)
    conflict = SyncConflict.objects.get()
    assert "Phạm" not in str(conflict.stored) + str(conflict.incoming)
    assert set(HouseholdFieldVersion.objects.filter(field="head_name").values_list("value", flat=True)) == {""}
