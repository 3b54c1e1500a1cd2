"""The code step is throttled like the password: five wrong codes lock the account (and the address)."""

import pytest
from django.urls import reverse

from congdongso.accounts import session_rules
from congdongso.accounts.models import Role
from congdongso.accounts.tests.conftest import code_step, password_step
from congdongso.testing.forms import page_text
from congdongso.testing.twofactor import current_code

pytestmark = pytest.mark.django_db

LOCKED = "Bạn đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau 15 phút."


@pytest.fixture
def officer(make):
    return make.user(Role.COMMUNE_OFFICER, make.commune())


def _wrong(user) -> str:
    return f"{(int(current_code(user)) + 1) % 10**6:06d}"


def test_after_five_wrong_codes_the_right_one_is_refused(client, officer):
    password_step(client, officer)
    for _attempt in range(5):
        assert "Mã không đúng" in page_text(code_step(client, _wrong(officer)))
    response = code_step(client, current_code(officer))
    assert LOCKED in page_text(response)
    assert client.session[session_rules.PENDING] is True


def test_the_lock_follows_the_account_to_another_address(client, officer):
    password_step(client, officer)
    for attempt in range(5):
        code_step(client, _wrong(officer), address=f"198.51.100.{attempt}")
    assert LOCKED in page_text(code_step(client, current_code(officer), address="198.51.100.99"))


def test_wrong_recovery_codes_count_too(client, officer):
    password_step(client, officer)
    for _attempt in range(5):
        code_step(client, "aaaa-bbbb-cccc")
    assert LOCKED in page_text(code_step(client, current_code(officer)))


def test_four_wrong_codes_do_not_lock(client, officer):
    password_step(client, officer)
    for _attempt in range(4):
        code_step(client, _wrong(officer))
    assert code_step(client, current_code(officer))["Location"] == reverse("web:home")


def test_enrolment_codes_are_throttled(client, make):
    officer = make.user(Role.COMMUNE_OFFICER, make.commune(), enrolled=False)
    password_step(client, officer)
    client.get(reverse("accounts:two_factor_enrol"))
    for _attempt in range(5):
        client.post(reverse("accounts:two_factor_enrol"), {"code": "000000"}, REMOTE_ADDR="203.0.113.9")
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": "000000"}, REMOTE_ADDR="203.0.113.9")
    assert LOCKED in page_text(response)
