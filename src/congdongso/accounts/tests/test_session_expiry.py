"""Officers' sessions end after inactivity and some hours after sign-in; members' do not."""

import time

import pytest
from django.urls import reverse

from congdongso.accounts import session_rules
from congdongso.accounts.models import Role
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db


def _age(client, *, idle: int, since_sign_in: int) -> None:
    """Move the session's clocks back, as time passing would."""
    now = int(time.time())
    session = client.session
    session[session_rules.SEEN_AT] = now - idle
    session[session_rules.SIGNED_IN_AT] = now - since_sign_in
    session.save()


@pytest.fixture
def officer_client(client, make):
    client.force_login(make.user(Role.COMMUNE_OFFICER, make.commune()))
    return client


def test_the_defaults_are_thirty_minutes_idle_and_ten_hours_in_all(settings):
    assert settings.OFFICER_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.OFFICER_SESSION_MAX_SECONDS == 10 * 60 * 60


def test_an_idle_officer_session_ends_with_a_message(officer_client, settings):
    _age(officer_client, idle=settings.OFFICER_SESSION_IDLE_SECONDS + 1, since_sign_in=3600)
    response = officer_client.get(reverse("accounts:devices"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in officer_client.session
    assert "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại." in page_text(officer_client.get(response["Location"]))


def test_an_active_officer_session_still_ends_after_the_maximum(officer_client, settings):
    _age(officer_client, idle=5, since_sign_in=settings.OFFICER_SESSION_MAX_SECONDS + 1)
    response = officer_client.get(reverse("accounts:devices"))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in officer_client.session


def test_activity_keeps_an_officer_session_alive(officer_client, settings):
    _age(officer_client, idle=settings.OFFICER_SESSION_IDLE_SECONDS - 60, since_sign_in=3600)
    assert officer_client.get(reverse("accounts:devices")).status_code == 200
    # The visit counted as activity: last-seen moved to now.
    assert int(time.time()) - officer_client.session[session_rules.SEEN_AT] < 5
    assert officer_client.get(reverse("accounts:devices")).status_code == 200


def test_an_expired_officer_session_is_not_signed_in_for_the_api(officer_client, settings):
    _age(officer_client, idle=settings.OFFICER_SESSION_IDLE_SECONDS + 1, since_sign_in=3600)
    assert officer_client.get("/api/v1/teams/").status_code == 401


def test_the_limits_come_from_settings(officer_client, settings):
    settings.OFFICER_SESSION_IDLE_SECONDS = 120
    _age(officer_client, idle=180, since_sign_in=180)
    assert officer_client.get(reverse("accounts:devices"))["Location"].startswith(reverse("accounts:login"))


def test_a_members_session_is_not_held_to_the_officer_limits(client, make, settings):
    client.force_login(make.user(Role.MEMBER, make.village()))
    _age(client, idle=settings.OFFICER_SESSION_IDLE_SECONDS + 60, since_sign_in=settings.OFFICER_SESSION_MAX_SECONDS + 60)
    assert client.get(reverse("accounts:devices")).status_code == 200
