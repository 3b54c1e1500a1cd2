"""Two-factor sign-in in tests.

Officers made by `factories.user` have an authenticator already set up (`enrol`), and a browser
journey types the code `current_code` computes, as a person would read it off their phone.

The Django test client's `login()` and `force_login()` stand for a whole sign-in (password and code):
`trust_test_client_logins` (called when the factories are imported, which every test run does through
the root conftest) marks the sessions they make as past the second step. This touches only
`django.test.Client`, which no production code path uses; tests of the code step itself post to the
real login page instead.
"""

import time

import pyotp
from django.test.client import ClientMixin
from django.utils import timezone

from congdongso.accounts import session_rules, twofactor
from congdongso.accounts.models import TOTPDevice, User


def enrol(user: User) -> TOTPDevice:
    """Give a user a confirmed authenticator (no recovery codes; a test that needs them issues them)."""
    device = twofactor.enrolment_start(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
    device.refresh_from_db()
    return device


def current_code(user: User) -> str:
    """A code the server will accept now: the current step's, or the next step's when the current one
    was already used (a second sign-in within the same 30 seconds)."""
    device = TOTPDevice.objects.get(user=user)
    totp = pyotp.TOTP(twofactor.unseal(device.sealed_secret))
    step = max(totp.timecode(time.time()), device.last_used_step + 1)
    return totp.generate_otp(step)


def mark_client_verified(client) -> None:
    session = client.session
    session[session_rules.PENDING] = False
    session.save()


_patched = {"done": False}


def trust_test_client_logins() -> None:
    if _patched["done"]:
        return
    original_login, original_force_login = ClientMixin.login, ClientMixin.force_login

    def login(self, **credentials):
        signed_in = original_login(self, **credentials)
        if signed_in:
            mark_client_verified(self)
        return signed_in

    def force_login(self, user, backend=None):
        original_force_login(self, user, backend)
        mark_client_verified(self)

    ClientMixin.login, ClientMixin.force_login = login, force_login
    _patched["done"] = True
