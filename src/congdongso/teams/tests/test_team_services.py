import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congdongso.accounts.models import Role
from congdongso.audit.models import AuditEvent
from congdongso.teams.models import Attendance, MemberRole
from congdongso.teams.services import (
    attendance_set,
    membership_add,
    membership_end,
    team_create,
    team_update,
    training_create,
)


@pytest.mark.django_db
def test_teams_live_on_current_villages_or_communes_only(make):
    province = make.province()
    with pytest.raises(ValidationError):
        team_create(unit=province, name="Tổ tỉnh", actor_id=None)
    commune = make.commune(province)
    assert team_create(unit=commune, name="  Tổ   CNSCĐ  xã ", actor_id=None).name == "Tổ CNSCĐ xã"


@pytest.mark.django_db
def test_update_records_only_changed_fields(make):
    team = make.team()
    team_update(team=team, name=team.name, decision_number="12/QĐ-UBND", actor_id=None)
    event = AuditEvent.objects.filter(action="team.update").get()
    assert event.details == {"fields": ["decision_number"]}
    team_update(team=team, decision_number="12/QĐ-UBND", actor_id=None)
    assert AuditEvent.objects.filter(action="team.update").count() == 1
    with pytest.raises(TypeError):
        team_update(team=team, unit_id=1, actor_id=None)


@pytest.mark.django_db
def test_a_user_is_an_active_member_of_a_team_once_and_can_leave_and_return(make):
    team = make.team()
    user = make.user(Role.MEMBER, team.unit)
    first = membership_add(
        team=team, display_name="", role=MemberRole.LEADER, affiliation="youth_union",
        joined_on=dt.date(2026, 1, 1), user=user, actor_id=None,
    )
    assert first.display_name == str(user)
    with pytest.raises(ValidationError):
        membership_add(
            team=team, display_name="x", role=MemberRole.MEMBER, affiliation="other",
            joined_on=dt.date(2026, 2, 1), user=user, actor_id=None,
        )
    with pytest.raises(ValidationError):
        membership_end(membership=first, left_on=dt.date(2025, 12, 31), actor_id=None)
    membership_end(membership=first, left_on=dt.date(2026, 3, 1), actor_id=None)
    with pytest.raises(ValidationError):
        membership_end(membership=first, left_on=dt.date(2026, 3, 2), actor_id=None)
    again = membership_add(
        team=team, display_name="x", role=MemberRole.MEMBER, affiliation="other",
        joined_on=dt.date(2026, 4, 1), user=user, actor_id=None,
    )
    assert again.is_active and not first.is_active


@pytest.mark.django_db
def test_attendance_is_set_to_exactly_the_chosen_members(make):
    team = make.team()
    a, b, c = make.member(team), make.member(team), make.member(team)
    training = training_create(unit=team.unit, title="Hướng dẫn VNeID mức 2", held_on=dt.date(2026, 5, 2), actor_id=None)
    assert attendance_set(training=training, memberships=[a, b], actor_id=None) == 2
    assert attendance_set(training=training, memberships=[b, c], actor_id=None) == 2
    assert set(Attendance.objects.values_list("membership_id", flat=True)) == {b.pk, c.pk}
    with pytest.raises(ValidationError):
        training_create(unit=team.unit, title="   ", held_on=dt.date(2026, 5, 2), actor_id=None)
