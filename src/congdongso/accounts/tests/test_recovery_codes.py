"""Recovery codes: each signs in once, in place of the app's code; new ones replace the old ones."""

import pytest
from django.urls import reverse

from congdongso.accounts import session_rules, twofactor
from congdongso.accounts.models import Role
from congdongso.accounts.tests.conftest import code_step, password_step
from congdongso.testing.forms import page_text
from congdongso.testing.twofactor import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make):
    return make.user(Role.COMMUNE_OFFICER, make.commune())


def test_a_recovery_code_signs_in_once(client, officer):
    codes = twofactor.recovery_codes_issue(user=officer)
    password_step(client, officer)
    response = code_step(client, codes[3].upper().replace("-", " "))  # typed loosely
    assert response["Location"] == reverse("web:home")
    assert client.session[session_rules.PENDING] is False
    assert twofactor.recovery_codes_left(officer) == 9
    assert "còn lại 9 mã" in page_text(client.get(reverse("accounts:devices")))

    client.post(reverse("accounts:logout"))
    password_step(client, officer)
    again = code_step(client, codes[3])
    assert again.status_code == 200
    assert "Mã không đúng hoặc đã được dùng." in page_text(again)
    assert client.session[session_rules.PENDING] is True


def test_another_users_recovery_code_does_not_work(client, officer, make):
    colleague = make.user(Role.COMMUNE_OFFICER, make.commune())
    theirs = twofactor.recovery_codes_issue(user=colleague)
    twofactor.recovery_codes_issue(user=officer)
    password_step(client, officer)
    assert code_step(client, theirs[0]).status_code == 200
    assert twofactor.recovery_codes_left(colleague) == 10


def test_new_codes_replace_the_old_ones(client, officer):
    old = twofactor.recovery_codes_issue(user=officer)
    client.force_login(officer)
    response = client.post(reverse("accounts:recovery_codes_renew"), {"code": current_code(officer)})
    assert response.status_code == 200
    assert "Các mã chỉ hiện một lần" in page_text(response)
    assert not twofactor.recovery_code_use(user=officer, code=old[0])
    assert twofactor.recovery_codes_left(officer) == 10


def test_new_codes_need_a_right_code_from_the_app(client, officer):
    old = twofactor.recovery_codes_issue(user=officer)
    client.force_login(officer)
    right = current_code(officer)
    response = client.post(reverse("accounts:recovery_codes_renew"), {"code": f"{(int(right) + 1) % 10**6:06d}"})
    assert "Mã không đúng" in page_text(response)
    assert twofactor.recovery_code_use(user=officer, code=old[0])


def test_an_admin_reset_makes_the_officer_enrol_again(client, officer, make):
    codes = twofactor.recovery_codes_issue(user=officer)
    twofactor.two_factor_reset(user=officer, actor_id=None)
    assert not twofactor.recovery_code_use(user=officer, code=codes[0])
    assert password_step(client, officer)["Location"].startswith(reverse("accounts:two_factor_enrol"))
