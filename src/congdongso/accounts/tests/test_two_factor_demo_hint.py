"""The demo's code hint (so `make demo` works without an authenticator app) exists only with DEBUG."""

import os
import subprocess
import sys

import pytest
from django.core import checks
from django.urls import reverse

from congdongso.accounts.checks import demo_hint_only_with_debug
from congdongso.accounts.models import Role
from congdongso.accounts.tests.conftest import password_step
from congdongso.testing.forms import page_text
from congdongso.testing.twofactor import current_code

pytestmark = pytest.mark.django_db


def test_the_hint_without_debug_is_a_system_check_error(settings):
    settings.DEBUG = False
    settings.TWO_FACTOR_DEMO_HINT = True
    errors = demo_hint_only_with_debug(None)
    assert [e.id for e in errors] == ["congdongso.accounts.E001"]
    assert all(e.level == checks.ERROR for e in errors)
    settings.TWO_FACTOR_DEMO_HINT = False
    assert demo_hint_only_with_debug(None) == []


@pytest.mark.parametrize(("debug", "expected"), [("1", "True"), ("", "False")])
def test_the_setting_follows_debug_alone(debug, expected, tmp_path):
    """Read in a fresh interpreter, as a server starts: on only when DEBUG is."""
    env = {**os.environ, "DEBUG": debug, "SECRET_KEY": "x" * 50, "CONGDONGSO_VAR": str(tmp_path)}
    env.pop("CONGDONGSO_TESTING", None)
    out = subprocess.run(
        [sys.executable, "-c", "import congdongso.settings as s; print(s.TWO_FACTOR_DEMO_HINT)"],
        env=env, capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == expected


def test_with_debug_and_the_hint_the_code_page_shows_the_code(client, make, settings):
    officer = make.user(Role.COMMUNE_OFFICER, make.commune())
    settings.DEBUG, settings.TWO_FACTOR_DEMO_HINT = True, True
    password_step(client, officer)
    assert f'data-demo-code="{current_code(officer)}"' in page_text(client.get(reverse("accounts:two_factor")))


def test_without_debug_the_code_page_never_shows_it(client, make, settings):
    officer = make.user(Role.COMMUNE_OFFICER, make.commune())
    settings.DEBUG, settings.TWO_FACTOR_DEMO_HINT = False, True
    password_step(client, officer)
    assert "data-demo-code" not in page_text(client.get(reverse("accounts:two_factor")))


def test_a_demo_officer_can_enrol_with_the_code_the_page_shows(client, make, settings):
    """`make demo` runs with DEBUG: a person without an authenticator app still gets in as an officer."""
    import re

    officer = make.user(Role.COMMUNE_OFFICER, make.commune(), enrolled=False)
    settings.DEBUG, settings.TWO_FACTOR_DEMO_HINT = True, True
    password_step(client, officer)
    page = page_text(client.get(reverse("accounts:two_factor_enrol")))
    code = re.search(r'data-demo-code="(\d{6})"', page).group(1)
    assert "Mã khôi phục" in page_text(client.post(reverse("accounts:two_factor_enrol"), {"code": code}))
    assert client.get(reverse("accounts:devices")).status_code == 200
