import pytest

from congdongso.testing.factories import PASSWORD


@pytest.mark.django_db
def test_team_api_lists_and_shows_teams_in_scope_with_members(client, two_communes, make):
    make.member(two_communes["team_a"], name="Lê Văn Minh")
    client.login(username=two_communes["officer_a"].username, password=PASSWORD)

    listed = client.get("/api/v1/teams/").json()
    assert [team["id"] for team in listed] == [two_communes["team_a"].pk]
    assert listed[0]["member_count"] == 1

    detail = client.get(f"/api/v1/teams/{two_communes['team_a'].pk}").json()
    assert [m["display_name"] for m in detail["members"]] == ["Lê Văn Minh"]


@pytest.mark.django_db
def test_unit_api_is_scoped_and_resolve_is_public(client, two_communes):
    client.login(username=two_communes["officer_a"].username, password=PASSWORD)
    a, b = two_communes["a"], two_communes["b"]
    body = client.get(f"/api/v1/units/{a.pk}").json()
    assert body["coverage"]["villages"] == 1 and body["coverage"]["villages_with_team"] == 1
    assert client.get(f"/api/v1/units/{b.pk}").status_code == 404
    assert client.get("/api/v1/units/not-a-number").status_code in (404, 422)

    client.logout()
    resolved = client.get("/api/v1/units/resolve", {"code": a.code}).json()
    assert [unit["id"] for unit in resolved] == [a.pk]


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/teams/" in schema.json()["paths"]
