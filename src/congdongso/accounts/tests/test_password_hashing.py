import importlib

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password


def test_production_settings_hash_passwords_with_argon2():
    production = importlib.import_module("congdongso.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.PRODUCTION_PASSWORD_HASHERS == production.PASSWORD_HASHERS


@pytest.mark.django_db
def test_an_argon2_hash_verifies(settings):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS
    encoded = make_password("mot-mat-khau-dai-2026")
    assert encoded.startswith("argon2$")
    assert identify_hasher(encoded).algorithm == "argon2"
