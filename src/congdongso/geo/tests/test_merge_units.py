"""Merging units into a target that already holds data: nothing left behind, history kept, atomic."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congdongso.accounts.models import Role, RoleAssignment, User
from congdongso.accounts.selectors import units_in_scope
from congdongso.accounts.services import role_assign
from congdongso.audit.models import AuditEvent
from congdongso.geo import registry
from congdongso.geo.models import Kind, Level, LinkReason, Unit, UnitLink
from congdongso.geo.registry import is_kept, unit_references
from congdongso.geo.selectors import resolve_code, resolve_name
from congdongso.geo.services import unit_create, units_merge, village_create
from congdongso.teams.models import Team, Training
from congdongso.teams.services import training_create

EFFECTIVE = dt.date(2026, 3, 1)


def merge(sources, target, effective_date=EFFECTIVE):
    return units_merge(sources=sources, target=target, effective_date=effective_date, actor_id=None)


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def assert_paths_consistent() -> None:
    """Every unit's path is its parent's path plus its own id, and depth follows."""
    parents = {pk: (path, depth) for pk, path, depth in Unit.objects.values_list("pk", "path", "depth")}
    for pk, parent_id, path, depth in Unit.objects.values_list("pk", "parent_id", "path", "depth"):
        if parent_id is None:
            assert (path, depth) == (f"/{pk}/", 1)
        else:
            assert path == f"{parents[parent_id][0]}{pk}/", pk
            assert depth == parents[parent_id][1] + 1, pk


def rows_pointing_at(unit_ids: list[int]) -> dict[str, int]:
    """For every non-history reference to a unit: how many rows still point at these units."""
    counts = {}
    for ref in unit_references():
        if not is_kept(ref):
            column = ref.model._meta.get_field(ref.field_name).attname
            counts[f"{ref.key[0]}.{ref.key[1]}"] = ref.model._base_manager.filter(**{f"{column}__in": unit_ids}).count()
    return counts


def scope_ids(user: User) -> set[int]:
    return set(units_in_scope(User.objects.get(pk=user.pk)).values_list("pk", flat=True))


@pytest.fixture
def three(make):
    """Communes A and B merge into T. All three hold villages, teams, a training and officers.

    A also holds a village retired by an earlier village merge, which must move along.
    """
    province = make.province()
    a = make.commune(province, name="Xã An Bình")
    b = make.commune(province, name="Xã Bình Minh")
    t = make.commune(province, name="Xã Tân Tiến")
    other = make.commune(province, name="Xã Ngoài Cuộc")
    village_a, village_b = make.village(a, "Thôn Đông"), make.village(b, "Thôn Tây")
    village_t = make.village(t, "Thôn Giữa")
    retired_a = make.village(a, "Thôn Cũ")
    merge([retired_a], village_a, effective_date=dt.date(2026, 1, 1))
    officer_a = make.user(Role.COMMUNE_OFFICER, a)
    officer_b = make.user(Role.COMMUNE_OFFICER, b)
    officer_t = make.user(Role.COMMUNE_OFFICER, t)
    on_a_and_t = make.user(Role.COMMUNE_OFFICER, a)
    role_assign(user=on_a_and_t, role=Role.COMMUNE_OFFICER, unit=t, actor_id=None)
    on_a_and_b = make.user(Role.COMMUNE_OFFICER, a)
    role_assign(user=on_a_and_b, role=Role.COMMUNE_OFFICER, unit=b, actor_id=None)
    # The same person may also hold another role on the source: that one moves, not merged away.
    role_assign(user=on_a_and_t, role=Role.TEAM_LEADER, unit=a, actor_id=None)
    member_a = make.user(Role.MEMBER, village_a)
    return {
        "province": province, "a": a, "b": b, "t": t, "other": other,
        "village_a": village_a, "village_b": village_b, "village_t": village_t, "retired_a": retired_a,
        "team_village_a": make.team(village_a), "team_village_b": make.team(village_b),
        "team_village_t": make.team(village_t),
        "team_a": make.team(a), "team_b": make.team(b), "team_t": make.team(t),
        "training_a": training_create(unit=a, title="Tập huấn VNeID", held_on=dt.date(2026, 2, 1), actor_id=None),
        "training_t": training_create(unit=t, title="Tập huấn DVC", held_on=dt.date(2026, 2, 2), actor_id=None),
        "officer_a": officer_a, "officer_b": officer_b, "officer_t": officer_t,
        "on_a_and_t": on_a_and_t, "on_a_and_b": on_a_and_b, "member_a": member_a,
        "team_other": make.team(other),
    }


def test_the_registry_sees_every_reference_to_a_unit(db):
    keys = {ref.key for ref in unit_references()}
    assert {("teams.Team", "unit"), ("teams.Training", "unit"), ("accounts.RoleAssignment", "unit")} <= keys
    assert not any(label.startswith("geo.") for label, _ in keys)


@pytest.mark.django_db
def test_merging_two_communes_into_a_third_leaves_nothing_behind(three):
    a, b, t = three["a"], three["b"], three["t"]
    assert rows_pointing_at([a.pk, b.pk])["teams.Team.unit"] == 2

    result = merge([a, b], t)

    assert rows_pointing_at([a.pk, b.pk]) == dict.fromkeys(rows_pointing_at([a.pk, b.pk]), 0)
    assert result.moved_children == 2  # the retired village moves too, but is not counted
    assert result.moved_references["teams.Team.unit"] == 2
    assert result.moved_references["teams.Training.unit"] == 1
    # Nothing outside the merge was touched.
    assert fresh(three["other"]).is_current and Team.objects.get(pk=three["team_other"].pk).unit_id == three["other"].pk


@pytest.mark.django_db
def test_villages_are_rehung_with_true_paths(three):
    a, b, t = three["a"], three["b"], three["t"]
    merge([a, b], t)

    t = fresh(t)
    for key in ("village_a", "village_b", "village_t", "retired_a"):
        village = fresh(three[key])
        assert village.parent_id == t.pk
        assert village.path == f"{t.path}{village.pk}/" and village.depth == 3
    assert not Unit.objects.filter(parent__in=[a, b]).exists()
    assert set(Unit.objects.current().filter(parent=t).values_list("name", flat=True)) == {
        "Thôn Đông", "Thôn Tây", "Thôn Giữa",
    }
    assert_paths_consistent()
    assert set(Unit.objects.subtree(t).values_list("pk", flat=True)) == {
        t.pk, *(three[k].pk for k in ("village_a", "village_b", "village_t", "retired_a"))
    }


@pytest.mark.django_db
def test_teams_and_trainings_follow(three):
    merge([three["a"], three["b"]], three["t"])

    t = three["t"]
    assert set(Team.objects.filter(unit=t).values_list("pk", flat=True)) == {
        three["team_a"].pk, three["team_b"].pk, three["team_t"].pk
    }
    # Teams of villages stay on their village, which now lies under the target.
    assert Team.objects.get(pk=three["team_village_a"].pk).unit_id == three["village_a"].pk
    assert set(Training.objects.filter(unit=t).values_list("pk", flat=True)) == {
        three["training_a"].pk, three["training_t"].pk
    }


@pytest.mark.django_db
def test_sources_are_retired_with_links_audit_and_their_old_codes_and_names(three):
    a, b, t = three["a"], three["b"], three["t"]
    merge([a, b], t)

    for source in (fresh(a), fresh(b)):
        assert source.valid_until == EFFECTIVE - dt.timedelta(days=1)
        assert not source.is_current
        assert UnitLink.objects.filter(
            predecessor=source, successor=t, reason=LinkReason.MERGE, effective_date=EFFECTIVE
        ).exists()
        assert resolve_code(source.code) == [t]
        assert resolve_code(source.code, level=Level.COMMUNE, legacy=False) == [t]
    assert fresh(t).is_current and fresh(t).valid_until is None
    assert resolve_name("Xã An Bình", level=Level.COMMUNE) == [t]
    assert resolve_name("binh minh", level=Level.COMMUNE) == [t]
    assert resolve_code(t.code) == [t]

    event = AuditEvent.objects.get(action="unit.merge", object_id=str(t.pk))
    assert event.unit_id == t.pk
    assert event.details["sources"] == [a.pk, b.pk]
    assert event.details["moved_children"] == 2
    assert event.details["effective_date"] == EFFECTIVE.isoformat()
    assert event.details["moved.teams.Team.unit"] == 2


@pytest.mark.django_db
def test_codes_of_merged_units_are_never_reused(three, make):
    a, t = three["a"], three["t"]
    merge([a, three["b"]], t)

    with pytest.raises(ValidationError):
        unit_create(
            level=Level.COMMUNE, kind=Kind.COMMUNE, code=a.code, name="Xã Mới", parent=three["province"], actor_id=None
        )
    # Moved villages keep their codes; new villages in the target get codes never used before.
    assert fresh(three["village_a"]).code == f"{a.code}-001"
    new = village_create(commune=fresh(t), name="Thôn Mới", kind=Kind.THON, actor_id=None)
    assert new.code == f"{t.code}-002"
    assert new.path == f"{fresh(t).path}{new.pk}/"


@pytest.mark.django_db
def test_roles_move_without_doubling_and_scopes_grow(three):
    a, b, t = three["a"], three["b"], three["t"]
    moved_villages = {three["village_a"].pk, three["village_b"].pk}
    assert not moved_villages & scope_ids(three["officer_t"])

    merge([a, b], t)

    assert not RoleAssignment.objects.filter(unit__in=[a, b]).exists()
    for key in ("officer_a", "officer_b", "officer_t", "on_a_and_t", "on_a_and_b"):
        user = three[key]
        assert RoleAssignment.objects.filter(user=user, role=Role.COMMUNE_OFFICER, unit=t).count() == 1, key
        assert RoleAssignment.objects.filter(user=user, role=Role.COMMUNE_OFFICER).count() == 1, key
        assert moved_villages | {t.pk, three["village_t"].pk} <= scope_ids(user), key
        assert three["other"].pk not in scope_ids(user)
    assert RoleAssignment.objects.filter(user=three["on_a_and_t"], role=Role.TEAM_LEADER, unit=t).exists()
    # A member on a village keeps the village, wherever it now hangs.
    member_a = three["member_a"]
    held = RoleAssignment.objects.filter(user=member_a).values_list("unit_id", flat=True)
    assert list(held) == [three["village_a"].pk]
    assert scope_ids(member_a) == {three["village_a"].pk}


def database_state() -> dict[str, set]:
    return {
        "units": set(Unit.objects.values_list("pk", "parent_id", "path", "depth", "valid_until", "name")),
        "links": set(UnitLink.objects.values_list("predecessor_id", "successor_id", "reason")),
        "teams": set(Team.objects.values_list("pk", "unit_id")),
        "trainings": set(Training.objects.values_list("pk", "unit_id")),
        "roles": set(RoleAssignment.objects.values_list("pk", "user_id", "role", "unit_id")),
        "audit": set(AuditEvent.objects.values_list("pk", flat=True)),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("failing", [("teams.Team", "unit"), ("teams.Training", "unit")])
def test_a_failure_half_way_changes_nothing(three, monkeypatch, failing):
    def explode(source_ids: list[int], target_id: int) -> int:
        raise RuntimeError("mover failed")

    before = database_state()
    monkeypatch.setitem(registry._movers, failing, explode)

    with pytest.raises(RuntimeError, match="mover failed"):
        merge([three["a"], three["b"]], three["t"])

    assert database_state() == before


@pytest.mark.django_db
def test_a_failure_after_the_references_moved_changes_nothing(three, monkeypatch):
    import congdongso.geo.services as services

    def explode(**kwargs):
        raise RuntimeError("audit failed")

    before = database_state()
    monkeypatch.setattr(services, "record", explode)
    with pytest.raises(RuntimeError, match="audit failed"):
        merge([three["a"], three["b"]], three["t"])
    assert database_state() == before


@pytest.mark.django_db
def test_invalid_merges_are_refused_in_vietnamese(three):
    a, b, t = three["a"], three["b"], three["t"]
    cases = [
        ([three["village_a"]], t, "Chỉ sáp nhập các đơn vị cùng cấp."),
        ([t], three["village_b"], "Chỉ sáp nhập các đơn vị cùng cấp."),
        ([t], three["village_t"], "Không thể sáp nhập một đơn vị vào đơn vị cấp dưới của nó."),
        ([t], t, "Không thể sáp nhập một đơn vị vào chính nó."),
        ([a, t], t, "Không thể sáp nhập một đơn vị vào chính nó."),
        ([a], three["village_a"], "Không thể sáp nhập một đơn vị vào đơn vị cấp dưới của nó."),
        ([three["province"]], t, "Không thể sáp nhập một đơn vị vào đơn vị cấp dưới của nó."),
        ([three["retired_a"]], three["village_a"], "Đơn vị Thôn Cũ đã hết hiệu lực."),
        ([three["village_t"]], three["retired_a"], "Đơn vị nhận sáp nhập phải đang hoạt động."),
        ([], t, "Cần chọn ít nhất một đơn vị để sáp nhập."),
    ]
    before = database_state()
    for sources, target, message in cases:
        with pytest.raises(ValidationError) as raised:
            merge(sources, target)
        assert raised.value.messages == [message], (sources, target)
    assert database_state() == before


@pytest.mark.django_db
def test_a_stale_instance_of_a_retired_unit_is_refused(three):
    a, b, t = three["a"], three["b"], three["t"]
    stale_a = fresh(a)
    merge([a], t)
    assert stale_a.is_current  # the instance does not know

    with pytest.raises(ValidationError) as raised:
        merge([stale_a], b)
    assert raised.value.messages == ["Đơn vị Xã An Bình đã hết hiệu lực."]
    with pytest.raises(ValidationError):
        merge([b], stale_a)


@pytest.mark.django_db
def test_a_source_listed_twice_is_merged_once(three):
    merge([three["a"], three["a"]], three["t"])
    assert UnitLink.objects.filter(predecessor=three["a"]).count() == 1


@pytest.mark.django_db
def test_merging_two_villages_into_one_moves_their_teams_and_roles(three, make):
    village_t, village_a, village_b = three["village_t"], three["village_a"], three["village_b"]
    member_t = make.user(Role.MEMBER, village_t)
    role_assign(user=member_t, role=Role.MEMBER, unit=village_a, actor_id=None)

    result = merge([village_a, village_b], village_t)

    assert result.moved_children == 0
    assert set(Team.objects.filter(unit=village_t).values_list("pk", flat=True)) == {
        three["team_village_a"].pk, three["team_village_b"].pk, three["team_village_t"].pk
    }
    assert rows_pointing_at([village_a.pk, village_b.pk]) == dict.fromkeys(rows_pointing_at([village_a.pk]), 0)
    assert RoleAssignment.objects.filter(user=member_t).count() == 1
    assert RoleAssignment.objects.get(user=three["member_a"]).unit_id == village_t.pk
    assert scope_ids(three["member_a"]) == {village_t.pk}
    for village in (fresh(village_a), fresh(village_b)):
        assert not village.is_current
        assert UnitLink.objects.filter(predecessor=village, successor=village_t, reason=LinkReason.MERGE).exists()
        assert resolve_code(village.code, level=Level.VILLAGE) == [village_t]
    # The village merged earlier into village_a now leads to village_t too.
    assert resolve_code(three["retired_a"].code) == [village_t]
    # Villages of two communes were merged: the retired one from B stays under B.
    assert fresh(village_b).parent_id == three["b"].pk
    assert_paths_consistent()
