import pytest
from django.urls import reverse

from congdongso.testing.factories import PASSWORD


@pytest.mark.django_db
def test_officer_of_commune_a_gets_404_for_a_team_of_commune_b_page_and_api(client, two_communes):
    client.login(username=two_communes["officer_a"].username, password=PASSWORD)
    team_a, team_b = two_communes["team_a"], two_communes["team_b"]

    assert client.get(reverse("teams:detail", args=[team_a.pk])).status_code == 200
    assert client.get(reverse("teams:detail", args=[team_b.pk])).status_code == 404
    assert client.get(reverse("teams:edit", args=[team_b.pk])).status_code == 404
    assert client.get(f"/api/v1/teams/{team_a.pk}").status_code == 200
    response = client.get(f"/api/v1/teams/{team_b.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    listed = {team["id"] for team in client.get("/api/v1/teams/").json()}
    assert listed == {team_a.pk}


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_and_the_api_answers_401(client, two_communes):
    response = client.get(reverse("teams:detail", args=[two_communes["team_a"].pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get("/api/v1/teams/").status_code == 401
