"""Settings for the test suite: the real settings, with a fast password hasher."""

import os

os.environ.setdefault("CONGDONGSO_TESTING", "1")

from congdongso.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; tests that check hashing read PRODUCTION_PASSWORD_HASHERS.
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run at once, inside the test, unless a test chooses the database backend itself.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
