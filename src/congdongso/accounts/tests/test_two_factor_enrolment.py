"""Setting up the authenticator app: QR code and key shown once, a first right code confirms it and
gives ten recovery codes; the key is stored sealed and never shown again."""

import re

import pyotp
import pytest
from django.urls import reverse

from congdongso.accounts import session_rules, twofactor
from congdongso.accounts.models import RecoveryCode, Role, TOTPDevice
from congdongso.accounts.tests.conftest import password_step
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db


def _secret_on(page) -> str:
    match = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page_text(page))
    assert match, "the key is shown as text"
    return match.group(1).replace(" ", "")


@pytest.fixture
def new_officer(make):
    return make.user(Role.PROVINCE_OFFICER, make.province(), enrolled=False)


def test_the_enrolment_page_shows_a_qr_code_and_the_key(client, new_officer):
    password_step(client, new_officer)
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert page.status_code == 200
    assert "<svg" in page_text(page)
    secret = _secret_on(page)
    uri = twofactor.provisioning_uri(TOTPDevice.objects.get(user=new_officer))
    assert pyotp.parse_uri(uri).secret == secret
    assert "Cộng Đồng Số" in pyotp.parse_uri(uri).issuer


def test_a_right_first_code_confirms_and_shows_ten_recovery_codes_once(client, new_officer):
    password_step(client, new_officer)
    secret = _secret_on(client.get(reverse("accounts:two_factor_enrol")))
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>", page_text(response))
    assert len(set(codes)) == 10
    assert twofactor.is_enrolled(new_officer)
    assert client.session[session_rules.PENDING] is False
    # Stored hashed: no stored value holds a code.
    stored = list(RecoveryCode.objects.filter(user=new_officer).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not {c.replace("-", "") for c in codes} & set(stored)
    # The key is never shown again: the enrolment page now sends the user to the security page.
    again = client.get(reverse("accounts:two_factor_enrol"))
    assert again.status_code == 302 and again["Location"] == reverse("accounts:security")
    assert secret not in page_text(client.get(reverse("accounts:security")))


def test_a_wrong_first_code_does_not_confirm(client, new_officer):
    password_step(client, new_officer)
    secret = _secret_on(client.get(reverse("accounts:two_factor_enrol")))
    right = pyotp.TOTP(secret).now()
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": f"{(int(right) + 1) % 10**6:06d}"})
    assert "Mã không đúng" in page_text(response)
    assert not twofactor.is_enrolled(new_officer)
    # Reloading shows the same key until it is confirmed (the app may already hold it).
    assert _secret_on(client.get(reverse("accounts:two_factor_enrol"))) == secret


def test_the_key_is_stored_sealed_not_in_plain_text(client, new_officer):
    password_step(client, new_officer)
    secret = _secret_on(client.get(reverse("accounts:two_factor_enrol")))
    sealed = TOTPDevice.objects.get(user=new_officer).sealed_secret
    assert secret not in sealed and secret.lower() not in sealed.lower()
    assert twofactor.unseal(sealed) == secret


def test_a_sealed_key_cannot_be_altered_and_survives_a_key_rotation(settings):
    sealed = twofactor.seal("JBSWY3DPEHPK3PXP")
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(ValueError):
        twofactor.unseal(tampered)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    assert twofactor.unseal(sealed) == "JBSWY3DPEHPK3PXP"
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ValueError):
        twofactor.unseal(sealed)


def test_a_member_may_enrol_from_the_security_page(client, make):
    member = make.user(Role.MEMBER, make.village())
    client.force_login(member)
    assert "Bật xác thực hai bước" in page_text(client.get(reverse("accounts:security")))
    secret = _secret_on(client.get(reverse("accounts:two_factor_enrol")))
    client.post(reverse("accounts:two_factor_enrol"), {"code": pyotp.TOTP(secret).now()})
    assert twofactor.is_enrolled(member)
    client.logout()
    assert password_step(client, member)["Location"].startswith(reverse("accounts:two_factor"))
