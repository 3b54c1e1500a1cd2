"""The devices page: my phones with their last sync and waiting records; an officer sees and revokes
the phones of members in the units they manage; anyone else's device answers 404."""

import uuid

import pytest

from congdongso.accounts.models import Device, Role
from congdongso.accounts.services import device_seen
from congdongso.audit.models import AuditEvent


@pytest.fixture
def phones(two_communes, make):
    member_a = make.user(Role.MEMBER, two_communes["village_a"])
    member_b = make.user(Role.MEMBER, two_communes["village_b"])
    return {
        "a": device_seen(user=member_a, device_id=uuid.uuid4(), label="Máy Lan", pending=3, synced=True),
        "b": device_seen(user=member_b, device_id=uuid.uuid4(), label="Máy Hùng"),
        "member_a": member_a, "member_b": member_b,
    }


def test_a_member_sees_and_revokes_their_own_device(client, phones):
    client.force_login(phones["member_a"])
    page = client.get("/accounts/devices/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Máy Lan" in html and "Máy Hùng" not in html
    assert f'data-device="{phones["a"].pk}"' in html
    assert "/outreach/conflicts/" not in html  # members review no conflicts
    answer = client.post(f"/accounts/devices/{phones['a'].pk}/revoke/")
    assert answer.status_code == 302
    assert Device.objects.get(pk=phones["a"].pk).revoked_at is not None
    assert AuditEvent.objects.filter(action="device.revoke", object_id=str(phones["a"].pk)).exists()
    # Another member's device: 404, untouched.
    assert client.post(f"/accounts/devices/{phones['b'].pk}/revoke/").status_code == 404
    assert Device.objects.get(pk=phones["b"].pk).revoked_at is None


def test_an_officer_revokes_devices_of_members_in_scope_only(client, phones, two_communes):
    client.force_login(two_communes["officer_a"])
    html = client.get("/accounts/devices/").content.decode()
    assert "Máy Lan" in html and "Máy Hùng" not in html
    assert ">3<" in html  # the records waiting on the phone
    assert "/outreach/conflicts/" in html
    assert client.post(f"/accounts/devices/{phones['b'].pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/devices/{phones['a'].pk}/revoke/").status_code == 302
    assert Device.objects.get(pk=phones["a"].pk).is_revoked
    api = client.post(f"/api/v1/devices/{phones['b'].pk}/revoke")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
