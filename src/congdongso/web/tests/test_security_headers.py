"""Every page carries the security headers: a Content-Security-Policy that runs only our own script
files, no MIME sniffing, no referrer outside the site, its own browsing context, no framing, and no
camera, microphone or location for any page (Permissions-Policy)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


@pytest.mark.parametrize("url_name", ["accounts:login", "scams:lookup", "feedback:submit"])
def test_a_page_carries_the_security_headers(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no inline code, no eval, no other origin
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_service_worker_and_the_api_carry_the_policy_too(client):
    for url in (reverse("web:service_worker"), "/api/v1/units/resolve?code=01"):
        response = client.get(url)
        assert response.status_code == 200
        assert "script-src 'self'" in response["Content-Security-Policy"]
