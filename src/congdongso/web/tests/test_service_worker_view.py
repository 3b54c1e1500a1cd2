"""/sw.js: the service worker served from the site root, for anyone, never cached stale, with the
configuration its static code needs and a version that follows the files it precaches."""

import json
import re
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from congdongso.outreach.forms import OUTCOME_EFFECT
from congdongso.web import pwa


def _config(body: bytes) -> dict:
    head, _newline, _rest = body.decode().partition("\n")
    assert head.startswith("self.CDS_CONFIG = ") and head.endswith(";")
    return json.loads(head.removeprefix("self.CDS_CONFIG = ").removesuffix(";"))


def test_the_worker_is_served_at_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    with open(finders.find("web/sw.js"), "rb") as handle:
        assert response.content.endswith(handle.read())  # the code itself stays in the static file


def test_the_configuration_names_real_files_and_pages(client):
    config = _config(client.get("/sw.js").content)
    for url in config["precache"] + [config["store"]]:
        assert finders.find(url.removeprefix("/static/")), url
    assert config["pages"]["worklist"] == reverse("outreach:worklist")
    assert config["pages"]["offline"] == reverse("outreach:offline")
    household = uuid.uuid4()
    match = re.match(config["pages"]["visit_re"], reverse("outreach:visit", args=[household]))
    assert match and match.group(1) == str(household)
    assert not re.match(config["pages"]["visit_re"], reverse("outreach:worklist"))
    assert config["outcomes"] == {k: [outcome, independent] for k, (outcome, independent) in OUTCOME_EFFECT.items()}


def test_the_version_changes_when_a_precached_file_changes(monkeypatch):
    before = _config(pwa._service_worker_build())["version"]
    real_read = pwa._read
    monkeypatch.setattr(pwa, "_read", lambda path: real_read(path) + (b"/* changed */" if path == "web/pwa/app.js" else b""))
    after = _config(pwa._service_worker_build())["version"]
    assert before != after


@pytest.mark.parametrize("method", ["post", "put"])
def test_only_get(client, method):
    assert getattr(client, method)("/sw.js").status_code == 405
