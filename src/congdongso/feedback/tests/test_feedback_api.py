"""The JSON API lists what the user may see, without contact details; out of scope answers 404."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_keeps_to_scope_and_hides_contacts(client, world, submit_report):
    mine = submit_report(world["village"], contact_name="Bà Lan", contact_phone="0912345678", contact_consent=True)
    theirs = submit_report(world["village_b"], category="other")
    assert client.get("/api/v1/feedback/reports").status_code == 401
    client.force_login(world["officer_a"])
    listed = client.get("/api/v1/feedback/reports").json()
    assert [item["code"] for item in listed] == [mine.code]
    assert listed[0]["has_contact"] is True and listed[0]["status_label"] == "Mới"
    detail = client.get(f"/api/v1/feedback/reports/{mine.pk}").json()
    assert detail["text"] == mine.text
    assert "Bà Lan" not in str(detail) and "0912" not in str(detail) and "+8491" not in str(detail)
    missing = client.get(f"/api/v1/feedback/reports/{theirs.pk}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/feedback/reports", {"status": "\x00", "limit": 10**9, "offset": -5}).status_code == 200
