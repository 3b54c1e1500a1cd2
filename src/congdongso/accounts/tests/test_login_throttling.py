"""Login throttling: five failures for a username (or from an address) lock out the sixth try."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.testing.factories import PASSWORD
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db

LOCKED = "quá nhiều lần"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(make):
    return make.user(Role.COMMUNE_OFFICER, make.commune())


def _log_in(client, username: str, password: str, address: str = "203.0.113.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    text = page_text(response)
    assert '<html lang="vi"' in text
    assert "Đăng nhập" in text


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi"' in page_text(response)
    assert "Đăng nhập" in page_text(response)


def test_the_right_password_signs_in(client, officer):
    response = _log_in(client, officer.username, PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_after_five_failures_for_a_username_the_right_password_is_refused(client, officer):
    # A different address each time: the username alone triggers the lock.
    for attempt in range(5):
        response = _log_in(client, officer.username, f"sai-{attempt}", address=f"198.51.100.{attempt}")
        assert response.status_code == 200
        assert WRONG in page_text(response)
    response = _log_in(client, officer.username, PASSWORD, address="198.51.100.99")
    assert response.status_code == 200
    assert LOCKED in page_text(response)
    assert not _signed_in(client)


def test_the_lock_applies_to_the_username_however_it_is_typed(client, officer):
    for attempt in range(5):
        _log_in(client, officer.username, "sai", address=f"198.51.100.{attempt}")
    response = _log_in(client, f"  {officer.username.upper()} ", PASSWORD, address="198.51.100.99")
    assert LOCKED in page_text(response)


def test_four_failures_do_not_lock_and_a_success_clears_them(client, officer):
    for attempt in range(4):
        _log_in(client, officer.username, "sai", address=f"198.51.100.{attempt}")
    assert _log_in(client, officer.username, PASSWORD, address="198.51.100.50").status_code == 302
    client.logout()
    for attempt in range(4):
        _log_in(client, officer.username, "sai", address=f"198.51.100.{10 + attempt}")
    assert _log_in(client, officer.username, PASSWORD, address="198.51.100.51").status_code == 302


def test_a_post_with_an_empty_password_does_not_reset_the_count(client, officer):
    """Regression: a post that authenticated nothing used to clear the failures, so an attacker
    could guess four times, send an empty password, and guess four more, for ever."""
    for attempt in range(4):
        _log_in(client, officer.username, "sai", address=f"198.51.100.{attempt}")
    _log_in(client, officer.username, "", address="198.51.100.40")
    _log_in(client, officer.username, "sai", address="198.51.100.41")
    response = _log_in(client, officer.username, PASSWORD, address="198.51.100.42")
    assert LOCKED in page_text(response)
    assert not _signed_in(client)


def test_other_usernames_are_not_locked(client, officer, make):
    colleague = make.user(Role.COMMUNE_OFFICER, make.commune())
    for attempt in range(5):
        _log_in(client, officer.username, "sai", address=f"198.51.100.{attempt}")
    assert _log_in(client, colleague.username, PASSWORD, address="198.51.100.77").status_code == 302


def test_after_five_failures_from_an_address_it_is_locked_for_every_username(client, officer, make):
    for attempt in range(5):
        _log_in(client, f"khong-ton-tai-{attempt}", "sai", address="192.0.2.7")
    response = _log_in(client, officer.username, PASSWORD, address="192.0.2.7")
    assert LOCKED in page_text(response)
    assert not _signed_in(client)
    assert _log_in(client, officer.username, PASSWORD, address="192.0.2.8").status_code == 302


def test_the_lock_ends_when_the_window_does(client, officer):
    for attempt in range(5):
        _log_in(client, officer.username, "sai", address=f"198.51.100.{attempt}")
    cache.clear()  # what the window's expiry does to the counters
    assert _log_in(client, officer.username, PASSWORD, address="198.51.100.99").status_code == 302


def test_the_locked_message_names_the_window_in_minutes(client, officer, settings):
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 600
    for attempt in range(5):
        _log_in(client, officer.username, "sai", address=f"198.51.100.{attempt}")
    text = page_text(_log_in(client, officer.username, PASSWORD, address="198.51.100.99"))
    assert "Vui lòng thử lại sau 10 phút." in text
