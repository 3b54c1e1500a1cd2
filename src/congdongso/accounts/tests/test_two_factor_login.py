"""An enrolled officer's sign-in asks for the code before the session counts as signed in."""

import pytest
from django.urls import reverse

from congdongso.accounts import session_rules
from congdongso.accounts.models import Role
from congdongso.accounts.tests.conftest import code_step, password_step
from congdongso.testing.forms import page_text
from congdongso.testing.twofactor import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make):
    return make.user(Role.COMMUNE_OFFICER, make.commune())


def test_the_password_step_leads_to_the_code_page(client, officer):
    response = password_step(client, officer)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert client.session[session_rules.PENDING] is True
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Mã xác thực" in page_text(page)


def test_a_half_signed_in_session_reaches_only_the_code_page_and_logout(client, officer):
    password_step(client, officer)
    for path in ("/", reverse("accounts:devices"), reverse("accounts:security"), f"/units/{officer.pk}/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:two_factor")), path
    # The JSON API treats it as not signed in at all.
    assert client.get("/api/v1/teams/").status_code == 401
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_right_code_completes_the_sign_in_and_follows_next(client, officer):
    password_step(client, officer, next_url=reverse("accounts:devices"))
    response = code_step(client, current_code(officer), next_url=reverse("accounts:devices"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:devices")
    assert client.session[session_rules.PENDING] is False
    assert client.get(reverse("accounts:devices")).status_code == 200
    assert client.get("/api/v1/teams/").status_code == 200


def test_the_session_key_changes_when_the_code_is_accepted(client, officer):
    password_step(client, officer)
    half_key = client.session.session_key
    code_step(client, current_code(officer))
    assert client.session.session_key != half_key


def test_a_wrong_code_is_refused_in_vietnamese(client, officer):
    password_step(client, officer)
    right = current_code(officer)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã được dùng." in page_text(response)
    assert client.get("/").status_code == 302


def test_next_pointing_elsewhere_is_ignored(client, officer):
    password_step(client, officer)
    response = code_step(client, current_code(officer), next_url="https://evil.example/")
    assert response["Location"] == reverse("web:home")


def test_the_admin_login_also_asks_for_the_code(client, make):
    admin = make.user(Role.NATIONAL_ADMIN)
    client.post("/admin/login/", {"username": admin.username, "password": "mat-khau-thu-nghiem-2026"})
    assert client.session[session_rules.PENDING] is True
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two_factor"))


def test_a_member_without_an_app_signs_in_with_the_password_alone(client, make):
    member = make.user(Role.MEMBER, make.village())
    response = password_step(client, member)
    assert response["Location"] == reverse("web:home")
    assert client.session[session_rules.PENDING] is False
    assert client.get(reverse("accounts:devices")).status_code == 200


def test_a_member_who_chose_an_app_is_asked_for_the_code(client, make):
    member = make.user(Role.MEMBER, make.village(), enrolled=True)
    response = password_step(client, member)
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    code_step(client, current_code(member))
    assert client.get(reverse("accounts:devices")).status_code == 200


def test_anonymous_answers_do_not_vary_on_the_cookie(client):
    """The session rules must not load a session nobody sent: public answers stay cacheable."""
    response = client.get("/api/v1/scams/lookup", {"q": "0912345678"})
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
