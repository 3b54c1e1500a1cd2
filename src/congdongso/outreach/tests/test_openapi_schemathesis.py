"""The whole API, fuzzed from its own OpenAPI schema by schemathesis (bounded examples per
operation), logged in as a member with households: no operation answers 5xx, whatever it is sent.
The schema documents every operation's errors in the one error shape."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck
from hypothesis import settings as examples
from schemathesis.checks import not_a_server_error

from congdongso.accounts.models import Role
from congdongso.outreach.tests.builders import make_household


def _schema():
    # Loaded at collection, from the API object itself (what /api/v1/openapi.json serves), and called
    # in-process through the WSGI application.
    from congdongso.api import api
    from congdongso.wsgi import application

    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
    loaded.app = application
    return loaded


schema = _schema()


@pytest.fixture
def in_process():
    """Django's own test client keeps the test's database connection open across requests; calling
    the WSGI handler directly would close it at the end of each request (it is inside the test's
    transaction): do as the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def logged_in(db, client, make, catalogue, settings, in_process):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]  # schemathesis's WSGI client calls "localhost"
    village = make.village()
    member = make.user(Role.COMMUNE_OFFICER, village.parent)
    make_household(village)
    make_household(village, consent=False)
    client.force_login(member)
    csrf = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        "headers": {"X-CSRFToken": csrf},
    }


@schema.parametrize()
@examples(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_operation_answers_a_server_error(case, logged_in):
    case.call_and_validate(headers=logged_in["headers"], cookies=logged_in["cookies"], checks=[not_a_server_error])


@pytest.mark.django_db
def test_the_schema_and_the_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    sync = schema["paths"]["/api/v1/sync"]["post"]
    body = sync["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["events"]["maxItems"] == 1000
    assert {"200", "401", "422"} <= {str(code) for code in sync["responses"]}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert "422" in {str(code) for code in operation["responses"]}, (method, path)
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
