import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congdongso.accounts.models import Role
from congdongso.audit.models import AuditEvent
from congdongso.audit.writer import record
from congdongso.teams.services import membership_add, team_create


@pytest.mark.django_db
def test_services_write_who_did_what_with_ids_only(make):
    commune = make.commune()
    officer = make.user(Role.COMMUNE_OFFICER, commune)
    team = team_create(unit=commune, name="Tổ CNSCĐ xã", actor_id=officer.pk)
    membership_add(
        team=team, display_name="Trần Thị Bích", role="member", affiliation="police",
        joined_on=dt.date(2026, 3, 1), actor_id=officer.pk,
    )
    events = list(AuditEvent.objects.filter(actor=officer).order_by("id"))
    assert [e.action for e in events] == ["team.create", "membership.add"]
    assert events[0].object_id == str(team.pk) and events[0].unit_id == commune.pk
    # The member's name is personal data: it is never copied into the trail.
    assert all("Bích" not in str(e.details) for e in events)


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted():
    event = record(actor_id=None, action="test.action", object_type="x", object_id=1)
    event.action = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.action"


@pytest.mark.django_db
def test_the_writer_refuses_free_text_and_nested_objects():
    with pytest.raises(ValueError):
        record(actor_id=None, action="a", object_type="x", object_id=1, details={"note": "x" * 500})
    with pytest.raises(TypeError):
        record(actor_id=None, action="a", object_type="x", object_id=1, details={"person": {"name": "A"}})
    assert AuditEvent.objects.count() == 0
