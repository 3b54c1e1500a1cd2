"""A code that was accepted cannot be used again, not even within its own 30-second step."""

import time

import pyotp
import pytest
from django.urls import reverse

from congdongso.accounts import twofactor
from congdongso.accounts.models import Role, TOTPDevice
from congdongso.accounts.tests.conftest import code_step, password_step
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make):
    return make.user(Role.COMMUNE_OFFICER, make.commune())


def _totp(user) -> pyotp.TOTP:
    return pyotp.TOTP(twofactor.unseal(TOTPDevice.objects.get(user=user).sealed_secret))


def test_a_code_seen_once_is_refused_at_a_second_sign_in(client, officer, make):
    at = time.time()
    code = _totp(officer).at(at)
    password_step(client, officer)
    assert code_step(client, code)["Location"] == reverse("web:home")

    from django.test import Client

    eavesdropper = Client()
    password_step(eavesdropper, officer, address="198.51.100.5")
    response = code_step(eavesdropper, code, address="198.51.100.5")
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã được dùng." in page_text(response)


def test_verify_accepts_each_step_once_and_no_earlier_step_after(officer):
    device = TOTPDevice.objects.get(user=officer)
    totp = _totp(officer)
    now = time.time()
    assert twofactor.verify_totp(device, totp.at(now), at=now)
    assert not twofactor.verify_totp(TOTPDevice.objects.get(pk=device.pk), totp.at(now), at=now)
    # The previous step's code is within the drift window but older than the used one: refused.
    assert not twofactor.verify_totp(TOTPDevice.objects.get(pk=device.pk), totp.at(now - 30), at=now)
    # The next step's code is still good, once.
    assert twofactor.verify_totp(TOTPDevice.objects.get(pk=device.pk), totp.at(now + 30), at=now)


def test_a_stale_copy_of_the_device_cannot_reuse_the_step(officer):
    """Two requests racing with the same code: the conditional update lets only one win."""
    first = TOTPDevice.objects.get(user=officer)
    second = TOTPDevice.objects.get(user=officer)
    now = time.time()
    code = _totp(officer).at(now)
    assert twofactor.verify_totp(first, code, at=now)
    assert not twofactor.verify_totp(second, code, at=now)


def test_codes_from_far_away_steps_are_refused(officer):
    device = TOTPDevice.objects.get(user=officer)
    now = time.time()
    assert not twofactor.verify_totp(device, _totp(officer).at(now - 120), at=now)
    assert not twofactor.verify_totp(device, _totp(officer).at(now + 120), at=now)
