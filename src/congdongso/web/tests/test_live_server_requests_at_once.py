"""The live server behind the browser journeys answers every request when several arrive at once
(two browser contexts, a page polling while another loads), even on the in-memory SQLite test
database whose one connection its threads share."""

import threading
import urllib.request

import pytest
from django.test import Client

from congdongso.accounts import session_rules
from congdongso.accounts.models import Role
from congdongso.testing import factories


@pytest.mark.django_db(transaction=True)
def test_requests_at_once_all_answer(live_server, monkeypatch):
    # Every request then writes its session (a transaction), as a sign-in or a form does.
    monkeypatch.setattr(session_rules, "SEEN_RESOLUTION_SECONDS", 0)
    village = factories.village(factories.commune(factories.province()))
    member = factories.user(Role.MEMBER, village)
    client = Client()
    client.force_login(member)
    assert client.get("/outreach/").status_code == 200  # the session's first page starts its rules (a new key)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    statuses: list[int] = []
    failures: list[BaseException] = []

    def fetch() -> None:
        for _ in range(15):
            request = urllib.request.Request(live_server.url + "/outreach/", headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
            except BaseException as exc:  # noqa: BLE001 (an HTTP 500 is what this test looks for)
                failures.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert statuses == [200] * 120
