"""A restricted household leaves every list built on households_visible (the households list, the
worklist, the phones' changes, the sync's scope check) until the restriction is lifted; its data stay."""

import pytest
from django.urls import reverse

from congdongso.households.models import Household
from congdongso.households.selectors import households_search, households_visible
from congdongso.outreach.selectors import worklist
from congdongso.privacy.models import Kind, Restriction
from congdongso.privacy.services import request_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(world, open_request):
    request = open_request(Kind.RESTRICT, household=world["household"])
    request_complete(request=request, outcome="", actor_id=world["officer_a"].pk)
    return request


def test_a_restricted_household_leaves_the_lists(world, restricted):
    household = world["household"]
    for user in (world["officer_a"], world["member"], world["province_officer"]):
        assert household not in households_visible(user)
        assert household not in worklist(user)
        assert household not in households_search(user, query="xuyen")
    # Its data stay: nothing is deleted or anonymised by a restriction.
    assert Household.objects.get(pk=household.pk).head_name == "Hoàng Thị Quỳnh Xuyến"


def test_the_pages_show_it_no_more(client, world, restricted):
    client.force_login(world["member"])
    assert str(world["household"].pk) not in client.get(reverse("outreach:worklist")).content.decode()
    client.force_login(world["officer_a"])
    assert str(world["household"].pk) not in client.get(reverse("households:list")).content.decode()


def test_lifting_the_restriction_brings_it_back(client, world, restricted):
    client.force_login(world["officer_a"])
    page = client.get(reverse("privacy:request", args=[restricted.pk])).content.decode()
    assert "Gỡ hạn chế xử lý" in page
    response = client.post(reverse("privacy:step", args=[restricted.pk, "lift"]))
    assert response.status_code == 302
    restriction = Restriction.objects.get()
    assert restriction.lifted_at is not None and restriction.lifted_by == world["officer_a"]
    assert world["household"] in households_visible(world["member"])
    assert world["household"] in worklist(world["member"])
    # Nothing left to lift.
    assert client.post(reverse("privacy:step", args=[restricted.pk, "lift"])).status_code == 404


def test_other_households_are_untouched(world, restricted):
    from congdongso.households.services import household_create

    neighbour = household_create(village=world["village"], resident_count=1, actor_id=None)
    assert list(households_visible(world["member"])) == [neighbour]


def test_a_scope_without_restrictions_pays_nothing(world, restricted):
    """Another commune's list gets no exclusion at all (it would cost every row a look-up)."""
    other_commune = households_visible(world["officer_b"])
    assert list(other_commune) == [world["household_b"]]
    assert "NOT" not in str(other_commune.query).upper().split("WHERE", 1)[1]
    assert "NOT" in str(households_visible(world["officer_a"]).query).upper().split("WHERE", 1)[1]
