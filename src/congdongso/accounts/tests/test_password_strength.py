"""Passwords are refused when zxcvbn estimates them easy to guess; the change page shows the estimate."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.accounts.passwords import StrengthValidator, estimate
from congdongso.testing.factories import PASSWORD
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db

STRONG = "ghe-tre-mua-ngo-sang-bong-den-xanh"


@pytest.mark.parametrize("weak", ["matkhau2026", "anhyeuem123456", "congdongso2026", "Password1234"])
def test_guessable_passwords_are_refused_in_vietnamese(weak):
    with pytest.raises(ValidationError) as caught:
        validate_password(weak)
    assert any("Mật khẩu này quá dễ đoán" in message for message in caught.value.messages)


def test_a_long_unrelated_phrase_passes():
    validate_password(STRONG)
    assert estimate(STRONG).score == 4


def test_the_users_own_name_does_not_make_a_password(make):
    user = make.user(Role.MEMBER, make.village(), username="nguyenvanbinh")
    user.display_name = "Nguyễn Văn Bình"
    with pytest.raises(ValidationError):
        StrengthValidator(min_score=3).validate("nguyenvanbinh1990", user)


def test_the_validator_is_configured_with_a_minimum_of_three(settings):
    entry = next(v for v in settings.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("StrengthValidator"))
    assert entry["OPTIONS"]["min_score"] == 3


def test_only_the_first_characters_of_a_very_long_password_are_estimated():
    # zxcvbn slows down sharply with length: a 10,000-character post must not tie up a worker.
    assert estimate("a" * 10_000 + "xyz") == estimate("a" * 64)


def test_the_change_page_shows_the_estimate_when_checking(client, make):
    client.force_login(make.user(Role.MEMBER, make.village()))
    response = client.post(reverse("accounts:password_change"), {"new_password1": "matkhau123", "check": "1"})
    text = page_text(response)
    assert "Độ mạnh ước tính:" in text
    assert "Yếu" in text or "Rất yếu" in text
    assert "matkhau123" not in text  # the typed password is never echoed back


def test_a_weak_new_password_is_refused_with_its_estimate(client, make):
    user = make.user(Role.MEMBER, make.village())
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "matkhau2026", "new_password2": "matkhau2026"},
    )
    assert response.status_code == 200
    assert "Mật khẩu này quá dễ đoán" in page_text(response)
    assert "Độ mạnh ước tính:" in page_text(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_strong_new_password_is_saved_and_the_session_kept(client, make):
    user = make.user(Role.MEMBER, make.village())
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert "Đã đổi mật khẩu." in page_text(client.get(response["Location"]))
