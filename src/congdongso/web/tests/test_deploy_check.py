"""`congdongso check --deploy` under production settings (DEBUG off, a real SECRET_KEY and
ALLOWED_HOSTS from the environment, nothing else) reports no warning and no error."""

import os
import secrets
import subprocess
import sys

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "congdongso.example.vn",
    "DJANGO_SETTINGS_MODULE": "congdongso.settings",
}


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    # Not the test suite's settings: no CONGDONGSO_TESTING, no test database, a fresh var directory.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CONGDONGSO_", "DATABASE_URL", "DJANGO_", "PYTEST", "SECURE_", "DEBUG"))}
    return {**env, **PRODUCTION_ENV, "CONGDONGSO_VAR": str(tmp_path), **extra}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "congdongso", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_under_production_settings_reports_nothing(tmp_path):
    result = _run(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_a_development_setting_is_caught(tmp_path):
    # The check does see warnings: turning HTTPS off makes it fail, so the test above means something.
    result = _run(_production_env(tmp_path, SECURE_SSL_REDIRECT="0"), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


PRINT_SECURITY = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS)"
)


def test_the_proxy_header_is_trusted_only_when_the_environment_says_so(tmp_path):
    plain = subprocess.run([sys.executable, "-c", PRINT_SECURITY], env=_production_env(tmp_path),
                           capture_output=True, text=True, timeout=60)
    assert plain.stdout.split() == ["None", "True", "True", "True", "31536000"], plain.stderr
    proxied = subprocess.run([sys.executable, "-c", PRINT_SECURITY],
                             env=_production_env(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"),
                             capture_output=True, text=True, timeout=60)
    assert proxied.stdout.startswith("('HTTP_X_FORWARDED_PROTO', 'https') True"), proxied.stderr
