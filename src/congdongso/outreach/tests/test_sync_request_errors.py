"""Errors of a whole sync request use the API's one error shape; the session needs its CSRF token, a
device token works without; a revoked device cannot sync; the device's outbox count is kept."""

import uuid

import pytest
from django.test import Client

from congdongso.accounts.models import Device
from congdongso.accounts.services import device_revoke, device_token_issue
from congdongso.common.ids import new_id
from congdongso.outreach.models import Assist
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import make_household


def _error(answer, status: int, code: str) -> None:
    assert answer.status_code == status, answer.content[:300]
    body = answer.json()
    assert body["error"]["code"] == code and body["error"]["message"]


@pytest.mark.django_db
def test_whole_request_errors(client, place, catalogue):
    _error(s.post(client, []), 401, "unauthenticated")
    client.force_login(place["member"])
    _error(client.post(s.URL, b"{not json", content_type="application/json"), 400, "bad_json")
    _error(client.post(s.URL, {"events": []}, content_type="application/json"), 422, "invalid")
    household, _people = make_household(place["village"])
    too_many = [s.assist(household) for _ in range(1001)]
    _error(s.post(client, too_many), 422, "too_many_events")
    _error(s.post(client, [{"type": "assist"}]), 422, "invalid")  # an event without an id cannot be answered
    assert Assist.objects.count() == 0


@pytest.mark.django_db
def test_the_session_needs_its_csrf_token(place, catalogue):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(place["member"])
    household, _people = make_household(place["village"])
    answer = s.post(browser, [s.assist(household)])
    assert answer.status_code in (401, 403) and "error" in answer.json()
    assert Assist.objects.count() == 0
    browser.get("/outreach/")  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    assert s.statuses(s.post(browser, [s.assist(household)], HTTP_X_CSRFTOKEN=token)) == ["accepted"]


@pytest.mark.django_db
def test_a_device_token_syncs_and_a_revoked_device_cannot(place, catalogue, client):
    household, _people = make_household(place["village"])
    device_id = uuid.uuid4()
    device, token = device_token_issue(user=place["member"], device_id=device_id)
    phone = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert s.statuses(s.post(phone, [s.assist(household)], device_id=device_id, pending=7)) == ["accepted"]
    device.refresh_from_db()
    assert device.pending_events == 7 and device.last_sync_at is not None
    _error(s.post(phone, [s.assist(household)], device_id=uuid.uuid4()), 403, "device_mismatch")
    device_revoke(device=device, actor_id=None)
    _error(s.post(phone, [s.assist(household)], device_id=device_id), 401, "unauthenticated")
    client.force_login(place["member"])
    _error(s.post(client, [s.assist(household)], device_id=device_id), 403, "device_revoked")
    assert Assist.objects.count() == 1


@pytest.mark.django_db
def test_a_session_sync_registers_the_device(client, place):
    client.force_login(place["member"])
    device_id = new_id()
    body = s.post(client, [], device_id=device_id, pending=0).json()
    assert body["results"] == [] and body["cursor"]
    assert Device.objects.get(user=place["member"]).device_id == device_id
