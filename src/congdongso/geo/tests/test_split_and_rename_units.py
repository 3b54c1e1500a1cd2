"""Splitting a unit into new ones and renaming one: history kept, codes never reused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congdongso.accounts.models import Role, RoleAssignment, User
from congdongso.accounts.selectors import units_in_scope
from congdongso.audit.models import AuditEvent
from congdongso.geo import registry
from congdongso.geo.models import Kind, Level, LinkReason, Unit, UnitLink, UnitName
from congdongso.geo.registry import is_kept, unit_references
from congdongso.geo.selectors import resolve_code, resolve_name
from congdongso.geo.services import SplitPart, unit_create, unit_rename, unit_split, units_merge, village_create
from congdongso.teams.models import Team, Training
from congdongso.teams.services import training_create

EFFECTIVE = dt.date(2026, 4, 1)
LAST_DAY = dt.date(2026, 3, 31)


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def split(source: Unit, parts: list[SplitPart], remainder_index: int = 1) -> list[Unit]:
    return unit_split(
        source=source, parts=parts, remainder_index=remainder_index, effective_date=EFFECTIVE, actor_id=None
    )


def rename(unit: Unit, new_name: str, effective_date: dt.date = EFFECTIVE) -> Unit:
    return unit_rename(unit=unit, new_name=new_name, effective_date=effective_date, actor_id=None)


def scope_ids(user: User) -> set[int]:
    return set(units_in_scope(User.objects.get(pk=user.pk)).values_list("pk", flat=True))


def assert_paths_consistent() -> None:
    """Every unit's path is its parent's path plus its own id, and depth follows."""
    rows = {row[0]: row[1:] for row in Unit.objects.values_list("pk", "parent_id", "path", "depth")}
    for pk, (parent_id, path, depth) in rows.items():
        if parent_id is None:
            assert (path, depth) == (f"/{pk}/", 1), pk
        else:
            assert (path, depth) == (f"{rows[parent_id][1]}{pk}/", rows[parent_id][2] + 1), pk


@pytest.fixture
def commune(make):
    """Commune S with three villages (plus one retired), teams, a training and people."""
    province = make.province()
    s = make.commune(province, name="Xã Sơn Hà")
    neighbour = make.commune(province, name="Xã Sơn Thủy")
    villages = [make.village(s, f"Thôn {n}") for n in (1, 2, 3)]
    retired = make.village(s, "Thôn 4")
    units_merge(sources=[retired], target=villages[2], effective_date=dt.date(2026, 1, 1), actor_id=None)
    return {
        "province": province, "s": s, "neighbour": neighbour, "villages": villages, "retired": retired,
        "team_s": make.team(s), "team_v1": make.team(villages[0]),
        "training_s": training_create(unit=s, title="Tập huấn", held_on=dt.date(2026, 2, 1), actor_id=None),
        "officer": make.user(Role.COMMUNE_OFFICER, s), "member_v1": make.user(Role.MEMBER, villages[0]),
    }


def two_parts(commune: dict) -> list[SplitPart]:
    v1, v2, _ = commune["villages"]
    return [
        SplitPart(name="Xã Sơn Hà Bắc", kind=Kind.COMMUNE, code="SHB", children=(v1.pk,)),
        SplitPart(name="Phường Sơn Hà Nam", kind=Kind.WARD, code="SHN", children=(v2.pk,)),
    ]


@pytest.mark.django_db
def test_split_creates_the_parts_and_hands_out_the_children(commune):
    s = commune["s"]
    v1, v2, v3 = commune["villages"]

    north, south = split(s, two_parts(commune), remainder_index=1)

    for part, (name, kind, code) in zip(
        (north, south), [("Xã Sơn Hà Bắc", Kind.COMMUNE, "SHB"), ("Phường Sơn Hà Nam", Kind.WARD, "SHN")], strict=True
    ):
        part = fresh(part)
        assert (part.name, part.kind, part.code, part.level) == (name, kind, code, Level.COMMUNE)
        assert part.parent_id == s.parent_id and part.path == f"{commune['province'].path}{part.pk}/"
        assert part.depth == 2 and part.valid_from == EFFECTIVE and part.is_current
    assert fresh(v1).parent_id == north.pk
    # The remainder takes every child not listed, the retired village included.
    assert {fresh(v).parent_id for v in (v2, v3, commune["retired"])} == {south.pk}
    assert not Unit.objects.filter(parent=s).exists()
    assert_paths_consistent()
    assert set(Unit.objects.subtree(fresh(north)).values_list("pk", flat=True)) == {north.pk, v1.pk}


@pytest.mark.django_db
def test_split_gives_the_remainder_teams_roles_and_trainings(commune):
    s = commune["s"]
    north, south = split(s, two_parts(commune), remainder_index=1)

    assert Team.objects.get(pk=commune["team_s"].pk).unit_id == south.pk
    assert Team.objects.get(pk=commune["team_v1"].pk).unit_id == commune["villages"][0].pk
    assert Training.objects.get(pk=commune["training_s"].pk).unit_id == south.pk
    assert list(RoleAssignment.objects.filter(user=commune["officer"]).values_list("unit_id", flat=True)) == [south.pk]
    v1, v2, v3 = commune["villages"]
    assert {v2.pk, v3.pk, south.pk} <= scope_ids(commune["officer"])
    assert not {north.pk, v1.pk} & scope_ids(commune["officer"])
    assert scope_ids(commune["member_v1"]) == {v1.pk}
    for ref in unit_references():
        if not is_kept(ref):
            assert ref.model._base_manager.filter(**{ref.field_name: s}).count() == 0, ref.key


@pytest.mark.django_db
def test_split_retires_the_source_and_links_it_to_every_part(commune):
    s = commune["s"]
    north, south = split(s, two_parts(commune), remainder_index=0)

    s = fresh(s)
    assert s.valid_until == LAST_DAY and not s.is_current
    assert set(UnitLink.objects.filter(predecessor=s, reason=LinkReason.SPLIT, effective_date=EFFECTIVE).values_list(
        "successor_id", flat=True
    )) == {north.pk, south.pk}
    assert {u.pk for u in resolve_code(s.code)} == {north.pk, south.pk}
    assert {u.pk for u in resolve_name("Xã Sơn Hà", level=Level.COMMUNE)} == {north.pk, south.pk}
    assert resolve_name("Sơn Hà Bắc", level=Level.COMMUNE) == [north]
    # remainder_index=0: the team of the commune went north this time.
    assert Team.objects.get(pk=commune["team_s"].pk).unit_id == north.pk
    event = AuditEvent.objects.get(action="unit.split", object_id=str(s.pk))
    assert event.details["parts"] == [north.pk, south.pk]
    assert event.details["moved.teams.Team.unit"] == 1


@pytest.mark.django_db
def test_split_never_reuses_a_code(commune, make):
    s = commune["s"]
    parts = two_parts(commune)
    for taken in (s.code, commune["neighbour"].code):
        with pytest.raises(ValidationError) as raised:
            split(s, [parts[0], SplitPart(name="Xã Mới", kind=Kind.COMMUNE, code=taken)])
        assert raised.value.messages == ["Mã này đã được dùng (mã không bao giờ được dùng lại)."]
    split(s, parts)
    # The retired source's code stays taken, for communes and for villages alike.
    with pytest.raises(ValidationError):
        unit_create(
            level=Level.COMMUNE, kind=Kind.COMMUNE, code=s.code, name="Xã Khác", parent=commune["province"],
            actor_id=None,
        )
    with pytest.raises(ValidationError):
        split(fresh(commune["neighbour"]), [
            SplitPart(name="Xã Một", kind=Kind.COMMUNE, code=s.code),
            SplitPart(name="Xã Hai", kind=Kind.COMMUNE, code="NEW2"),
        ])


@pytest.mark.django_db
def test_invalid_splits_are_refused_in_vietnamese(commune):
    s, province = commune["s"], commune["province"]
    v1, v2, v3 = commune["villages"]
    ok = two_parts(commune)
    bad_code = "Mỗi đơn vị mới cần một mã hợp lệ, không trùng nhau."
    cases = [
        (s, ok[:1], 0, "Chia tách cần ít nhất hai đơn vị mới."),
        (s, ok, 2, "Cần chọn đơn vị mới nhận phần còn lại."),
        (s, ok, -1, "Cần chọn đơn vị mới nhận phần còn lại."),
        (province, ok, 0, "Chưa hỗ trợ chia tách cấp tỉnh."),
        (commune["retired"], ok, 0, "Đơn vị cần chia tách phải đang hoạt động."),
        (s, [ok[0], SplitPart("Thị trấn Mới", Kind.TOWNSHIP, "TT1")], 0, "Loại đơn vị mới không hợp lệ."),
        (s, [ok[0], SplitPart("Thôn Mới", Kind.THON, "TT1")], 0, "Loại đơn vị mới không hợp lệ."),
        (s, [ok[0], SplitPart("Xã Mới", Kind.COMMUNE, "SHB")], 0, bad_code),
        (s, [ok[0], SplitPart("Xã Mới", Kind.COMMUNE, "mã có dấu")], 0, bad_code),
        (s, [ok[0], SplitPart("  ", Kind.COMMUNE, "X1")], 0, "Tên đơn vị mới không được để trống."),
        (s, [ok[0], SplitPart("xã sơn hà bắc", Kind.COMMUNE, "X1")], 0, "Các đơn vị mới phải có tên khác nhau."),
        (s, [ok[0], SplitPart("Xã Sơn Thủy", Kind.COMMUNE, "X1")], 0,
         "Đơn vị cấp trên đã có một đơn vị khác mang tên Xã Sơn Thủy."),
        (s, [ok[0], SplitPart("Xã Mới", Kind.COMMUNE, "X1", children=(v1.pk,))], 0,
         "Mỗi đơn vị cấp dưới chỉ được giao cho một đơn vị mới."),
        (s, [ok[0], SplitPart("Xã Mới", Kind.COMMUNE, "X1", children=(commune["neighbour"].pk,))], 0,
         "Có đơn vị cấp dưới được chọn không thuộc đơn vị cần chia tách."),
        (s, [ok[0], SplitPart("Xã Mới", Kind.COMMUNE, "X1", children=(commune["retired"].pk,))], 0,
         "Có đơn vị cấp dưới được chọn không thuộc đơn vị cần chia tách."),
    ]
    units_before = set(Unit.objects.values_list("pk", "parent_id", "path", "valid_until"))
    for source, parts, remainder, message in cases:
        with pytest.raises(ValidationError) as raised:
            split(source, parts, remainder)
        assert raised.value.messages == [message], message
    assert set(Unit.objects.values_list("pk", "parent_id", "path", "valid_until")) == units_before
    # A part may keep the source's own name: the source is retired by the split.
    split(s, [ok[0], SplitPart("Xã Sơn Hà", Kind.COMMUNE, "SH2")], 0)


@pytest.mark.django_db
def test_a_failing_split_changes_nothing(commune, monkeypatch):
    def explode(source_ids: list[int], target_id: int) -> int:
        raise RuntimeError("mover failed")

    monkeypatch.setitem(registry._movers, ("teams.Training", "unit"), explode)
    before = (
        set(Unit.objects.values_list("pk", "parent_id", "path", "valid_until")),
        set(Team.objects.values_list("pk", "unit_id")), set(RoleAssignment.objects.values_list("pk", "unit_id")),
        UnitLink.objects.count(), AuditEvent.objects.count(),
    )
    with pytest.raises(RuntimeError):
        split(commune["s"], two_parts(commune))
    after = (
        set(Unit.objects.values_list("pk", "parent_id", "path", "valid_until")),
        set(Team.objects.values_list("pk", "unit_id")), set(RoleAssignment.objects.values_list("pk", "unit_id")),
        UnitLink.objects.count(), AuditEvent.objects.count(),
    )
    assert after == before


@pytest.mark.django_db
def test_splitting_a_village_gives_its_teams_to_the_remainder(commune):
    v1 = commune["villages"][0]
    upper, lower = split(v1, [
        SplitPart(name="Thôn 1A", kind=Kind.THON, code="S-1A"),
        SplitPart(name="Tổ dân phố 1B", kind=Kind.TO_DAN_PHO, code="S-1B"),
    ], remainder_index=0)

    s = fresh(commune["s"])
    for part in (fresh(upper), fresh(lower)):
        assert part.parent_id == s.pk and part.path == f"{s.path}{part.pk}/" and part.depth == 3
    assert Team.objects.get(pk=commune["team_v1"].pk).unit_id == upper.pk
    assert RoleAssignment.objects.get(user=commune["member_v1"]).unit_id == upper.pk
    assert {u.pk for u in resolve_code(v1.code, level=Level.VILLAGE)} == {upper.pk, lower.pk}
    # The split village's name is free again; a new village may take it, with a fresh code.
    again = village_create(commune=s, name="Thôn 1", kind=Kind.THON, actor_id=None)
    assert again.code not in {v1.code, "S-1A", "S-1B"}


@pytest.mark.django_db
def test_rename_keeps_the_old_name_findable(commune):
    s = commune["s"]
    code, path = s.code, s.path

    renamed = rename(s, "  Phường  Sơn Hà ")

    assert renamed is s and s.name == "Phường Sơn Hà"
    s = fresh(s)
    assert (s.name, s.search_name, s.code, s.path, s.is_current) == ("Phường Sơn Hà", "son ha", code, path, True)
    former = UnitName.objects.get(unit=s)
    assert (former.name, former.search_name, former.valid_until) == ("Xã Sơn Hà", "son ha", LAST_DAY)
    assert resolve_code(code) == [s]
    assert resolve_name("Phường Sơn Hà", level=Level.COMMUNE) == [s]

    rename(s, "Phường Hà Sơn", effective_date=dt.date(2026, 6, 1))
    for old in ("Xã Sơn Hà", "Phường Sơn Hà", "son ha", "Phường Hà Sơn"):
        assert resolve_name(old, level=Level.COMMUNE) == [s], old
    assert list(UnitName.objects.filter(unit=s).order_by("valid_until").values_list("name", flat=True)) == [
        "Xã Sơn Hà", "Phường Sơn Hà",
    ]
    event = AuditEvent.objects.filter(action="unit.rename", object_id=str(s.pk)).first()
    assert event.details == {"effective_date": "2026-06-01"}


@pytest.mark.django_db
def test_a_renamed_village_is_found_by_its_old_name_even_after_a_merge(commune):
    v1, v2, _ = commune["villages"]
    rename(v1, "Thôn Đoàn Kết")
    assert resolve_name("Thôn 1", level=Level.VILLAGE) == [v1]
    assert resolve_name("thon doan ket", level=Level.VILLAGE) == [v1]

    units_merge(sources=[v1], target=v2, effective_date=EFFECTIVE, actor_id=None)
    assert resolve_name("Thôn 1", level=Level.VILLAGE) == [v2]
    assert resolve_name("Thôn Đoàn Kết", level=Level.VILLAGE) == [v2]


@pytest.mark.django_db
def test_invalid_renames_are_refused_in_vietnamese(commune):
    v1, v2, _ = commune["villages"]
    cases = [
        (v1, "   ", "Tên mới không được để trống."),
        (v1, "Thôn 1", "Tên mới trùng với tên hiện tại."),
        (v1, "thôn 2", "Đơn vị cấp trên đã có một đơn vị khác mang tên này."),
        (commune["s"], "Xã Sơn Thủy", "Đơn vị cấp trên đã có một đơn vị khác mang tên này."),
        (commune["retired"], "Thôn Bốn", "Chỉ đổi tên được đơn vị đang hoạt động."),
        (v1, "T" * 201, "Tên mới quá dài (tối đa 200 ký tự)."),
    ]
    for unit, name, message in cases:
        with pytest.raises(ValidationError) as raised:
            rename(unit, name)
        assert raised.value.messages == [message], name
    assert not UnitName.objects.exists()
    # The retired village's old name is free for another village.
    rename(v2, "Thôn 4")
    assert fresh(v2).name == "Thôn 4"
