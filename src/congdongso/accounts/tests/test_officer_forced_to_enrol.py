"""An officer without an authenticator app is sent to set one up after the password and can reach
nothing else until it is done."""

import pytest
from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.accounts.tests.conftest import password_step

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.NATIONAL_ADMIN])
def test_every_officer_role_is_sent_to_enrolment(client, make, role):
    unit = make.commune() if role == Role.COMMUNE_OFFICER else make.province()
    officer = make.user(role, unit, enrolled=False)
    response = password_step(client, officer)
    assert response["Location"].startswith(reverse("accounts:two_factor_enrol"))
    for path in ("/", reverse("accounts:devices"), reverse("accounts:security"), reverse("accounts:two_factor"),
                 reverse("accounts:password_change"), "/admin/"):
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"].startswith(reverse("accounts:two_factor_enrol")), path
    assert client.get("/api/v1/teams/").status_code == 401
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 200


def test_the_page_says_officers_must_use_it(client, make):
    officer = make.user(Role.COMMUNE_OFFICER, make.commune(), enrolled=False)
    password_step(client, officer)
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert "Tài khoản cán bộ phải dùng xác thực hai bước." in page.content.decode()


def test_an_officer_session_from_before_these_rules_is_held_too(client, make):
    """A session made without the sign-in hook (e.g. before this feature) is judged on its first request."""
    from congdongso.accounts import session_rules

    officer = make.user(Role.COMMUNE_OFFICER, make.commune(), enrolled=False)
    client.force_login(officer)
    session = client.session
    for key in (session_rules.SIGNED_IN_AT, session_rules.SEEN_AT, session_rules.STRICT, session_rules.PENDING):
        session.pop(key, None)
    session.save()
    assert client.get("/")["Location"].startswith(reverse("accounts:two_factor_enrol"))


def test_a_member_made_an_officer_while_signed_in_must_enrol_at_the_next_page(client, make):
    from congdongso.accounts.services import role_assign

    commune = make.commune()
    member = make.user(Role.MEMBER, make.village(commune))
    password_step(client, member)
    assert client.get(reverse("accounts:devices")).status_code == 200
    role_assign(user=member, role=Role.COMMUNE_OFFICER, unit=commune, actor_id=None)
    assert client.get(reverse("accounts:devices"))["Location"].startswith(reverse("accounts:two_factor_enrol"))
