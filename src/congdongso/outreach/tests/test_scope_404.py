"""Out of scope is not found: households, assists and follow-ups of another village answer 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.common.ids import new_id
from congdongso.outreach.models import Assist, FollowUp, FollowUpStatus
from congdongso.outreach.services import follow_up_open
from congdongso.outreach.tests.builders import make_household


@pytest.fixture
def elsewhere(place, catalogue):
    household, (person,) = make_household(place["other_village"], head="Phạm Thị Xa")
    follow_up = follow_up_open(
        village_id=place["other_village"].pk, household=household, reason="Quay lại", due_on=timezone.localdate()
    )
    return {"household": household, "person": person, "follow_up": follow_up}


@pytest.mark.django_db
def test_a_member_cannot_open_or_record_for_a_household_outside_their_scope(client, place, elsewhere):
    client.force_login(place["member"])
    household = elsewhere["household"]
    url = reverse("outreach:visit", args=[household.pk])
    assert client.get(url).status_code == 404
    posted = client.post(url, {"assist_id": str(new_id()), "pick": "vneid-level2|", "outcome": "independent",
                               "channel": "door"})
    assert posted.status_code == 404
    api = client.post(
        "/api/v1/outreach/assists",
        {"id": str(new_id()), "household_id": str(household.pk), "services": ["vneid-level2"],
         "outcome": "done", "occurred_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert not Assist.objects.exists()

    done = client.post(reverse("outreach:follow_up_done", args=[elsewhere["follow_up"].pk]))
    assert done.status_code == 404
    assert FollowUp.objects.get().status == FollowUpStatus.OPEN
    body = client.get(reverse("outreach:worklist")).content.decode()
    assert "Phạm Thị Xa" not in body
    assert client.get("/api/v1/outreach/worklist", {"village": place["other_village"].pk}).status_code == 404


@pytest.mark.django_db
def test_unknown_ids_are_not_found_too(client, place):
    client.force_login(place["member"])
    assert client.get(reverse("outreach:visit", args=[new_id()])).status_code == 404
    assert client.get("/outreach/visit/not-a-uuid/").status_code == 404
    assert client.post(reverse("outreach:follow_up_done", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, place, elsewhere):
    response = client.get(reverse("outreach:visit", args=[elsewhere["household"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/outreach/worklist").status_code == 401
