"""A phone gets a sync token once; only its hash is stored; the token authenticates as its user;
a revoked device's token stops working at once."""

import uuid

import pytest

from congdongso.accounts.models import Device, Role
from congdongso.accounts.services import device_revoke, token_hash

DEVICE = uuid.UUID("0190d2a4-0000-7000-8000-0000000000aa")


@pytest.fixture
def member(db, make):
    return make.user(Role.MEMBER, make.village())


def _issue(client, member, device_id=DEVICE):
    client.force_login(member)
    answer = client.post("/api/v1/devices/token", {"device_id": str(device_id), "label": "Điện thoại Lan"},
                         content_type="application/json")
    client.logout()
    return answer


def test_a_token_is_shown_once_and_only_its_hash_is_kept(client, member):
    answer = _issue(client, member)
    assert answer.status_code == 201
    token = answer.json()["token"]
    device = Device.objects.get(user=member)
    assert device.device_id == DEVICE and device.label == "Điện thoại Lan"
    assert device.token_hash == token_hash(token) and token not in device.token_hash
    listed = client.get("/api/v1/devices/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert listed.status_code == 200
    assert [d["device_id"] for d in listed.json()] == [str(DEVICE)]
    assert "token" not in listed.json()[0]
    # A new token replaces the old one.
    second = _issue(client, member).json()["token"]
    assert client.get("/api/v1/devices/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert client.get("/api/v1/devices/", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200


def test_a_token_cannot_mint_tokens_and_a_wrong_token_is_unauthenticated(client, member):
    token = _issue(client, member).json()["token"]
    minted = client.post("/api/v1/devices/token", {"device_id": str(uuid.uuid4())}, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")
    assert minted.status_code == 401
    wrong = client.get("/api/v1/devices/", HTTP_AUTHORIZATION="Bearer cds_not-a-real-token")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "unauthenticated"


def test_revoking_stops_the_token_and_the_device_gets_no_new_one(client, member):
    token = _issue(client, member).json()["token"]
    device = Device.objects.get(user=member)
    device_revoke(device=device, actor_id=member.pk)
    assert client.get("/api/v1/devices/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert Device.objects.get(pk=device.pk).token_hash is None
    again = _issue(client, member)
    assert again.status_code == 403 and again.json()["error"]["code"] == "device_revoked"


def test_an_inactive_users_token_stops_working(client, member):
    token = _issue(client, member).json()["token"]
    member.is_active = False
    member.save()
    assert client.get("/api/v1/devices/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
