"""An officer who types in the address of another commune's team gets a plain 404, in a real browser."""

import pytest

from congdongso.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_of_commune_a_gets_404_for_the_team_of_commune_b(page, two_communes):
    team_a, team_b = two_communes["team_a"], two_communes["team_b"]
    log_in(page, two_communes["officer_a"].username)

    own = page.goto(page.url_for(f"/teams/{team_a.pk}/"))
    assert own.status == 200
    assert team_a.name in page.locator("h1").inner_text()

    for path in (f"/teams/{team_b.pk}/", f"/teams/{team_b.pk}/edit/", f"/teams/{team_b.pk}/members/new/"):
        response = page.goto(page.url_for(path))
        assert response.status == 404, path
        # Nothing of commune B shows through: not the team, its village or its commune.
        body = page.content()
        for leaked in (team_b.name, two_communes["village_b"].name, two_communes["b"].name):
            assert leaked not in body, (path, leaked)
