"""Another commune's household answers 404 on every page and in the API; nothing of it shows."""

import uuid

import pytest
from django.urls import reverse

from congdongso.households.services import household_create
from congdongso.households.tests.conftest import assert_refused_here, consented_household
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(world):
    return {
        "a": consented_household(world["village_a"], head_name="Nguyễn Văn An"),
        "a2": consented_household(world["village_a2"], head_name="Lê Thị Nam"),
        "b": consented_household(world["village_b"], head_name="Trần Văn Tây"),
    }


def _pages(household) -> list[str]:
    resident = household.residents.first()
    return [
        reverse(name, args=[household.pk])
        for name in ("households:detail", "households:profile", "households:consent", "households:withdraw",
                     "households:details", "households:resident_add")
    ] + [reverse("households:resident_edit", args=[resident.pk])]


def test_officer_of_commune_a_gets_404_for_a_household_of_commune_b_page_and_api(client, world, households):
    client.force_login(world["officer_a"])
    for url in _pages(households["a"]):
        assert client.get(url).status_code == 200, url
    for url in _pages(households["b"]):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Trần Văn Tây" not in page_text(response)
        assert client.post(url, {"confirm": "on", "head_name": "X"}).status_code == 404, url
    assert client.get(f"/api/v1/households/{households['a'].pk}").status_code == 200
    response = client.get(f"/api/v1/households/{households['b'].pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/households/{uuid.uuid4()}").status_code == 404

    listed = {row["id"] for row in client.get("/api/v1/households/").json()}
    assert listed == {str(households["a"].pk), str(households["a2"].pk)}
    page = page_text(client.get(reverse("households:list")))
    assert "Nguyễn Văn An" in page and "Trần Văn Tây" not in page and "Thôn Tây" not in page
    # Filtering by the other commune's village shows nothing of it either.
    page = page_text(client.get(reverse("households:list"), {"village": world["village_b"].pk}))
    assert "Trần Văn Tây" not in page and "Thôn Tây" not in page


def test_a_member_sees_only_the_households_of_their_own_village(client, world, households):
    client.force_login(world["member"])
    assert client.get(reverse("households:detail", args=[households["a"].pk])).status_code == 200
    assert client.get(reverse("households:detail", args=[households["a2"].pk])).status_code == 404
    assert {row["id"] for row in client.get("/api/v1/households/").json()} == {str(households["a"].pk)}


def test_a_province_officer_sees_every_commune_of_the_province(client, world, households):
    client.force_login(world["province_officer"])
    assert len(client.get("/api/v1/households/").json()) == 3
    assert client.get(reverse("households:detail", args=[households["b"].pk])).status_code == 200


def test_a_household_cannot_be_created_in_a_village_out_of_scope(client, world):
    client.force_login(world["member"])
    for village in (world["village_b"], world["village_a2"], world["a"]):
        assert_refused_here(
            client, reverse("households:create"), {"village": village.pk, "resident_count": "2"}, "Lựa chọn không hợp lệ."
        )
    # The page itself lists only the member's village.
    text = page_text(client.get(reverse("households:create")))
    assert "Thôn Đông" in text and "Thôn Nam" not in text and "Thôn Tây" not in text


def test_malformed_ids_are_404_not_500(client, world):
    client.force_login(world["officer_a"])
    household = household_create(village=world["village_a"], actor_id=None)
    assert client.get(f"/households/{household.pk}x/").status_code == 404
    assert client.get("/households/not-a-uuid/").status_code == 404
    assert client.get("/api/v1/households/not-a-uuid").status_code in (404, 422)


def test_anonymous_users_are_sent_to_login_and_the_api_answers_401(client, world, households):
    response = client.get(reverse("households:detail", args=[households["a"].pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get("/api/v1/households/").status_code == 401
    assert client.get(f"/api/v1/households/{households['a'].pk}").status_code == 401
