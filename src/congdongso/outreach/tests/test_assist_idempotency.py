"""assist_submit: one assist per client id, whatever the replays and races."""

import pytest
from django.utils import timezone

from congdongso.catalog.models import Adoption
from congdongso.common.ids import new_id
from congdongso.outreach.models import Assist, Outcome
from congdongso.outreach.services import AssistConflict, assist_submit
from congdongso.outreach.tests.builders import make_household


@pytest.fixture
def submit(place, catalogue):
    household, (person,) = make_household(place["village"])
    fields = {
        "assist_id": new_id(), "member": place["member"], "household": household, "resident": person,
        "service_codes": ["vneid-level2", "scam-awareness"], "outcome": Outcome.DONE, "independent": True,
        "occurred_at": timezone.now(), "note": "  Đã cài  VNeID ",
    }
    return lambda **changes: assist_submit(**{**fields, **changes})


@pytest.mark.django_db
def test_a_replay_is_a_duplicate_and_other_content_a_conflict(submit):
    first, created = submit()
    assert created
    # Same content, services in another order and the note as stored: still the same assist.
    again, created_again = submit(service_codes=["scam-awareness", "vneid-level2"], note="Đã cài VNeID")
    assert (again.pk, created_again) == (first.pk, False)
    for change in ({"outcome": Outcome.PARTLY}, {"independent": False}, {"resident": None},
                   {"service_codes": ["vneid-level2"]}, {"note": "khác"}):
        with pytest.raises(AssistConflict) as caught:
            submit(**change)
        assert caught.value.assist.pk == first.pk
    assert Assist.objects.count() == 1
    assert Adoption.objects.count() == 2  # applied once


@pytest.mark.django_db
def test_two_requests_racing_with_one_id_store_one_assist(submit, monkeypatch):
    first, _created = submit()
    # The second request looked before the first one stored its assist: its insert then fails on
    # the primary key, and it answers "duplicate" instead of an error.
    real_filter = Assist.objects.filter
    looks = []

    def late_filter(*args, **kwargs):
        looks.append(kwargs)
        return Assist.objects.none() if len(looks) == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(Assist.objects, "filter", late_filter)
    again, created = submit()
    assert (again.pk, created) == (first.pk, False)
    assert len(looks) == 2
    monkeypatch.undo()
    assert Assist.objects.count() == 1
