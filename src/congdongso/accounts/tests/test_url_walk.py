"""Deny by default: every URL pattern is declared public or scoped (or guards itself)."""

from django.urls import URLPattern, URLResolver, get_resolver

from congdongso.accounts.gate import declared_access
from congdongso.api import api


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield pattern, namespace


def test_every_url_declares_its_access():
    undeclared = [
        str(pattern.pattern)
        for pattern, namespace in _walk(get_resolver().url_patterns)
        if declared_access(pattern.callback, namespace) is None
    ]
    assert undeclared == []


def test_the_walk_sees_the_app_pages_and_the_admin():
    namespaces = {namespace.split(":")[0] for _, namespace in _walk(get_resolver().url_patterns)}
    assert {"web", "accounts", "teams", "admin", "api"} <= namespaces


PUBLIC_OPERATIONS = {
    ("get", "/api/v1/units/resolve"),
    ("get", "/api/v1/scams/lookup"),
    ("post", "/api/v1/scams/check"),
}


def test_every_api_operation_requires_auth_unless_declared_public():
    schema = api.get_openapi_schema()
    operations = {
        (method, path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert ("get", "/api/v1/teams/{team_id}") in operations
    open_operations = {key for key, operation in operations.items() if not operation.get("security")}
    assert open_operations == PUBLIC_OPERATIONS
