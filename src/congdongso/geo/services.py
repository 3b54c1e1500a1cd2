"""Every write to administrative units: loading, villages, merge, split, rename."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils.translation import gettext as _

from congdongso.audit.writer import record
from congdongso.common.text import clean_name
from congdongso.geo import reference
from congdongso.geo.models import VILLAGE_KINDS, Kind, Level, LinkReason, Unit, UnitLink, UnitName
from congdongso.geo.naming import unit_search_name, village_search_name
from congdongso.geo.metrics import village_counted
from congdongso.geo.registry import move_unit_references
from congdongso.indicators.writer import add as tallies_add
from congdongso.indicators.writer import subtrees_tracked

REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_UNTIL = dt.date(2025, 6, 30)

Progress = Callable[[str, int], None]
"""(step description, items done in this step) -> None"""


def _no_progress(step: str, done: int) -> None:
    return None


def search_name_for(level: str, name: str) -> str:
    return village_search_name(name) if level == Level.VILLAGE else unit_search_name(name)


# --- loading reference units ----------------------------------------------------------------------


def units_load_reference(*, progress: Progress = _no_progress) -> dict[str, int]:
    """Load the current and legacy units and the 2025 reform links. Idempotent."""
    with transaction.atomic():
        created_current = _load_units(list(reference.current_units()), progress)
        created_legacy = _load_units(list(reference.legacy_units()), progress)
        created_links = _load_reform_links(list(reference.reform_links()), progress)
    return {"created_units": created_current + created_legacy, "created_links": created_links}


def _load_units(rows: list[reference.ReferenceUnit], progress: Progress) -> int:
    created = 0
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        level_rows = [row for row in rows if row.level == level]
        if not level_rows:
            continue
        is_legacy = level_rows[0].is_legacy
        existing = set(Unit.objects.filter(level=level, is_legacy=is_legacy).values_list("code", flat=True))
        parents = _parent_ids(level, is_legacy)
        new_units = [
            Unit(
                level=level, kind=row.kind, code=row.code, name=row.name,
                search_name=search_name_for(level, row.name),
                parent_id=parents[row.parent_code] if row.parent_code else None,
                path="", depth=_reference_depth(level, is_legacy), is_legacy=is_legacy,
                valid_from=None if is_legacy else REFORM_DATE,
                valid_until=LEGACY_UNTIL if is_legacy else None,
            )
            for row in level_rows
            if row.code not in existing
        ]
        Unit.objects.bulk_create(new_units, batch_size=1000)
        _fill_missing_paths()
        created += len(new_units)
        progress(f"{'legacy ' if is_legacy else ''}{level}", len(level_rows))
    return created


def _parent_ids(level: str, is_legacy: bool) -> dict[str, int]:
    parent_level = {Level.PROVINCE: None, Level.DISTRICT: Level.PROVINCE}.get(
        level, Level.DISTRICT if is_legacy else Level.PROVINCE
    )
    if parent_level is None:
        return {}
    return dict(Unit.objects.filter(level=parent_level, is_legacy=is_legacy).values_list("code", "id"))


def _reference_depth(level: str, is_legacy: bool) -> int:
    if level == Level.PROVINCE:
        return 1
    if level == Level.DISTRICT:
        return 2
    return 3 if is_legacy else 2


def _fill_missing_paths() -> None:
    """Give new units their path from their parent's, top level first, one UPDATE per depth."""
    for depth in range(1, 5):
        pending = Unit.objects.filter(path="", depth=depth)
        if depth == 1:
            pending.update(path=Concat(Value("/"), Cast("id", CharField()), Value("/")))
        else:
            parent_path = Unit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
            pending.update(path=Concat(Subquery(parent_path), Cast("id", CharField()), Value("/")))


def _load_reform_links(links: list[reference.ReferenceLink], progress: Progress) -> int:
    ids = {
        (level, is_legacy, code): pk
        for level, is_legacy, code, pk in Unit.objects.filter(
            level__in=[Level.PROVINCE, Level.COMMUNE]
        ).values_list("level", "is_legacy", "code", "id")
    }
    existing = set(UnitLink.objects.values_list("predecessor_id", "successor_id"))
    new_links = []
    for link in links:
        pair = (ids[(link.level, True, link.legacy_code)], ids[(link.level, False, link.current_code)])
        if pair not in existing:
            existing.add(pair)
            new_links.append(
                UnitLink(
                    predecessor_id=pair[0], successor_id=pair[1],
                    reason=LinkReason.REFORM_2025, effective_date=REFORM_DATE,
                )
            )
    UnitLink.objects.bulk_create(new_links, batch_size=1000)
    progress("reform links", len(links))
    return len(new_links)


def unit_create(
    *, level: str, kind: str, code: str, name: str, parent: Unit | None, actor_id: int | None,
    valid_from: dt.date | None = None,
) -> Unit:
    """Create one current unit of any level below its parent (villages: see village_create)."""
    if (parent is None) != (level == Level.PROVINCE):
        raise ValidationError(_("Chỉ cấp tỉnh không có đơn vị cấp trên."))
    if Unit.objects.filter(level=level, is_legacy=False, code=code).exists():
        raise ValidationError(_("Mã này đã được dùng (mã không bao giờ được dùng lại)."))
    with transaction.atomic():
        unit = Unit.objects.create(
            level=level, kind=kind, code=code, name=clean_name(name), search_name=search_name_for(level, name),
            parent=parent, path="", depth=parent.depth + 1 if parent else 1, valid_from=valid_from,
        )
        _fill_missing_paths()
        unit.refresh_from_db()
        if level == Level.VILLAGE:
            tallies_add(village_counted(unit.pk))
        record(
            actor_id=actor_id, action="unit.create", object_type="geo.unit", object_id=unit.pk,
            unit_id=unit.pk, details={"level": level, "code": code},
        )
    return unit


# --- villages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageSpec:
    commune: Unit
    name: str
    kind: str
    code: str = ""


def village_create(*, commune: Unit, name: str, kind: str, code: str = "", actor_id: int | None) -> Unit:
    """Create one village under a current commune; raises ValidationError in Vietnamese."""
    problems = village_problems(commune=commune, name=name, kind=kind, code=code)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        (village,) = _villages_create([VillageSpec(commune, clean_name(name), kind, code.strip())])
        record(
            actor_id=actor_id, action="village.create", object_type="geo.unit", object_id=village.pk,
            unit_id=commune.pk, details={"code": village.code},
        )
    return village


def village_problems(*, commune: Unit | None, name: str, kind: str, code: str = "") -> list[str]:
    problems: list[str] = []
    if commune is None or commune.level != Level.COMMUNE or not commune.is_current:
        problems.append(_("Không tìm thấy xã/phường đang hoạt động."))
    if not clean_name(name):
        problems.append(_("Tên thôn/tổ dân phố không được để trống."))
    elif len(clean_name(name)) > 200:
        problems.append(_("Tên thôn/tổ dân phố quá dài (tối đa 200 ký tự)."))
    if kind not in VILLAGE_KINDS:
        problems.append(_("Loại thôn/tổ dân phố không hợp lệ."))
    if code and not is_valid_code(code):
        problems.append(_("Mã chỉ gồm chữ cái không dấu, chữ số, dấu chấm hoặc gạch ngang (tối đa 32 ký tự)."))
    if not problems and commune is not None:
        if Unit.objects.filter(
            parent=commune, level=Level.VILLAGE, valid_until__isnull=True,
            search_name=village_search_name(name),
        ).exists():
            problems.append(_("Xã/phường này đã có thôn/tổ dân phố cùng tên."))
        if code and Unit.objects.filter(level=Level.VILLAGE, is_legacy=False, code=code.strip()).exists():
            problems.append(_("Mã này đã được dùng (mã không bao giờ được dùng lại)."))
    return problems


def is_valid_code(code: str) -> bool:
    code = code.strip()
    return 0 < len(code) <= 32 and all(ch.isascii() and (ch.isalnum() or ch in ".-") for ch in code)


def villages_create_many(*, specs: Sequence[VillageSpec], actor_id: int | None) -> list[Unit]:
    """Create validated villages in one transaction (the importer checks them first)."""
    with transaction.atomic():
        villages = _villages_create(specs)
        record(
            actor_id=actor_id, action="village.import", object_type="geo.unit", object_id="bulk",
            details={"count": len(villages), "communes": sorted({s.commune.pk for s in specs})},
        )
    return villages


def _villages_create(specs: Sequence[VillageSpec]) -> list[Unit]:
    codes = _allocate_village_codes(specs)
    villages = [
        Unit(
            level=Level.VILLAGE, kind=spec.kind, code=code, name=spec.name,
            search_name=village_search_name(spec.name), parent=spec.commune,
            path="", depth=spec.commune.depth + 1, valid_from=dt.date.today(),
        )
        for spec, code in zip(specs, codes, strict=True)
    ]
    Unit.objects.bulk_create(villages, batch_size=1000)
    _fill_missing_paths()
    created = list(Unit.objects.filter(level=Level.VILLAGE, code__in=codes).order_by("id"))
    tallies_add(row for village in created for row in village_counted(village.pk))
    return created


def _allocate_village_codes(specs: Sequence[VillageSpec]) -> list[str]:
    """Given codes stay; others become "<commune code>-<n>", n past every code ever used there."""
    taken = set(
        Unit.objects.filter(level=Level.VILLAGE, is_legacy=False).values_list("code", flat=True)
    )
    taken.update(spec.code for spec in specs if spec.code)
    next_number: dict[str, int] = {}
    codes = []
    for spec in specs:
        if spec.code:
            codes.append(spec.code)
            continue
        prefix = f"{spec.commune.code}-"
        number = next_number.get(prefix) or 1 + max(
            (int(c[len(prefix):]) for c in taken if c.startswith(prefix) and c[len(prefix):].isdigit()),
            default=0,
        )
        while f"{prefix}{number:03d}" in taken:
            number += 1
        code = f"{prefix}{number:03d}"
        taken.add(code)
        next_number[prefix] = number + 1
        codes.append(code)
    return codes


# --- merge, split, rename -------------------------------------------------------------------------


def last_day_in_force(effective_date: dt.date) -> dt.date:
    """`valid_until` is the last day a unit or name was in force (the reform: 30 June, then 1 July)."""
    return effective_date - dt.timedelta(days=1)


def _locked(pk: int) -> Unit:
    """Re-read a unit inside the running transaction, so checks never trust a stale instance."""
    return Unit.objects.select_for_update().get(pk=pk)


def _name_taken(*, parent_id: int | None, level: str, name: str, exclude: Sequence[int] = ()) -> bool:
    """Does a current sibling already carry this name (diacritics, case and type prefix all kept)?"""
    key = village_search_name(name)
    siblings = Unit.objects.current().filter(parent_id=parent_id, level=level).exclude(pk__in=exclude)
    return any(village_search_name(other) == key for other in siblings.values_list("name", flat=True))


@dataclass
class MergeResult:
    target: Unit
    retired: list[Unit]
    moved_children: int
    moved_references: dict[str, int] = field(default_factory=dict)


def units_merge(
    *, sources: Iterable[Unit], target: Unit, effective_date: dt.date, actor_id: int | None
) -> MergeResult:
    """Merge units into a target that may already hold data. One transaction; nothing left behind."""
    source_ids = list(dict.fromkeys(unit.pk for unit in sources))
    with transaction.atomic():
        target = _locked(target.pk)
        source_list = [_locked(pk) for pk in source_ids]
        _check_merge(source_list, target)
        # Facts change units and units change parents: the tallies of both subtrees are recounted.
        with subtrees_tracked([target.path, *(unit.path for unit in source_list)]):
            moved_children, moved = _merge_into(source_list, target, effective_date)
        record(
            actor_id=actor_id, action="unit.merge", object_type="geo.unit", object_id=target.pk,
            unit_id=target.pk,
            details={
                "sources": source_ids, "moved_children": moved_children,
                "effective_date": effective_date.isoformat(),
                **{f"moved.{key}": count for key, count in moved.items() if count},
            },
        )
    retired = list(Unit.objects.filter(pk__in=source_ids))
    return MergeResult(target=target, retired=retired, moved_children=moved_children, moved_references=moved)


def _merge_into(sources: list[Unit], target: Unit, effective_date: dt.date) -> tuple[int, dict[str, int]]:
    source_ids = [unit.pk for unit in sources]
    moved_children = sum(_move_children(source, target) for source in sources)
    moved = move_unit_references(source_ids, target.pk)
    Unit.objects.filter(pk__in=source_ids).update(valid_until=last_day_in_force(effective_date))
    UnitLink.objects.bulk_create(
        [
            UnitLink(predecessor_id=pk, successor=target, reason=LinkReason.MERGE, effective_date=effective_date)
            for pk in source_ids
        ]
    )
    return moved_children, moved


def _check_merge(sources: list[Unit], target: Unit) -> None:
    if not sources:
        raise ValidationError(_("Cần chọn ít nhất một đơn vị để sáp nhập."))
    if not target.is_current:
        raise ValidationError(_("Đơn vị nhận sáp nhập phải đang hoạt động."))
    for unit in sources:
        if unit.pk == target.pk:
            raise ValidationError(_("Không thể sáp nhập một đơn vị vào chính nó."))
        if not unit.is_current:
            raise ValidationError(_("Đơn vị %(name)s đã hết hiệu lực.") % {"name": unit.name})
        if target.path.startswith(unit.path):
            raise ValidationError(_("Không thể sáp nhập một đơn vị vào đơn vị cấp dưới của nó."))
        if unit.level != target.level:
            raise ValidationError(_("Chỉ sáp nhập các đơn vị cùng cấp."))


def _move_children(source: Unit, target: Unit) -> int:
    """Re-hang all the source's children (and their subtrees) under the target; count current ones.

    Retired children move too: their path must keep matching their parent, and their history
    stays inside the subtree of whoever now looks after the area.
    """
    children = Unit.objects.filter(parent=source)
    current = children.filter(valid_until__isnull=True, is_legacy=False).count()
    _rebase_subtree_paths(old_prefix=source.path, new_prefix=target.path)
    children.update(parent=target)
    return current


def _rebase_subtree_paths(*, old_prefix: str, new_prefix: str) -> None:
    """Rewrite the path of everything strictly below old_prefix to sit below new_prefix."""
    depth_change = new_prefix.count("/") - old_prefix.count("/")
    Unit.objects.filter(path__prefix=old_prefix).exclude(path=old_prefix).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_change,
    )


def unit_rename(*, unit: Unit, new_name: str, effective_date: dt.date, actor_id: int | None) -> Unit:
    """Give a current unit a new name; the old one is kept so it still finds the unit."""
    name = clean_name(new_name)
    with transaction.atomic():
        current = _locked(unit.pk)
        _check_rename(current, name)
        UnitName.objects.create(
            unit=current, name=current.name, search_name=current.search_name,
            valid_until=last_day_in_force(effective_date),
        )
        unit.name = name
        unit.search_name = search_name_for(current.level, name)
        unit.save(update_fields=["name", "search_name"])
        record(
            actor_id=actor_id, action="unit.rename", object_type="geo.unit", object_id=unit.pk,
            unit_id=unit.pk, details={"effective_date": effective_date.isoformat()},
        )
    return unit


def _check_rename(unit: Unit, name: str) -> None:
    if not name:
        raise ValidationError(_("Tên mới không được để trống."))
    if len(name) > 200:
        raise ValidationError(_("Tên mới quá dài (tối đa 200 ký tự)."))
    if not unit.is_current:
        raise ValidationError(_("Chỉ đổi tên được đơn vị đang hoạt động."))
    if name == unit.name:
        raise ValidationError(_("Tên mới trùng với tên hiện tại."))
    if _name_taken(parent_id=unit.parent_id, level=unit.level, name=name, exclude=[unit.pk]):
        raise ValidationError(_("Đơn vị cấp trên đã có một đơn vị khác mang tên này."))


@dataclass(frozen=True)
class SplitPart:
    name: str
    kind: str
    code: str
    children: tuple[int, ...] = ()


_SPLIT_KINDS: dict[str, tuple[str, ...]] = {
    Level.COMMUNE: (Kind.COMMUNE, Kind.WARD, Kind.SPECIAL_ZONE),
    Level.VILLAGE: VILLAGE_KINDS,
}


def unit_split(
    *, source: Unit, parts: Sequence[SplitPart], remainder_index: int, effective_date: dt.date,
    actor_id: int | None,
) -> list[Unit]:
    """Split a unit into new ones. Each part takes the children listed for it; everything else that
    hangs off the source (children not listed, teams, users) goes to parts[remainder_index]."""
    with transaction.atomic():
        source = _locked(source.pk)
        _check_split(source, parts, remainder_index)
        counted_under = [source.path]
        with subtrees_tracked(counted_under):
            new_units = _split_create_parts(source, parts, effective_date)
            counted_under.extend(unit.path for unit in new_units)
            for part, unit in zip(parts, new_units, strict=True):
                _adopt_children(source, unit, part.children)
            remainder = new_units[remainder_index]
            _move_children(source, remainder)
            moved = move_unit_references([source.pk], remainder.pk)
            Unit.objects.filter(pk=source.pk).update(valid_until=last_day_in_force(effective_date))
        UnitLink.objects.bulk_create(
            [
                UnitLink(predecessor=source, successor=unit, reason=LinkReason.SPLIT, effective_date=effective_date)
                for unit in new_units
            ]
        )
        record(
            actor_id=actor_id, action="unit.split", object_type="geo.unit", object_id=source.pk,
            unit_id=source.pk,
            details={
                "parts": [u.pk for u in new_units], "effective_date": effective_date.isoformat(),
                **{f"moved.{key}": count for key, count in moved.items() if count},
            },
        )
    return new_units


def _split_create_parts(source: Unit, parts: Sequence[SplitPart], effective_date: dt.date) -> list[Unit]:
    Unit.objects.bulk_create(
        [
            Unit(
                level=source.level, kind=part.kind, code=part.code.strip(), name=clean_name(part.name),
                search_name=search_name_for(source.level, part.name), parent_id=source.parent_id,
                path="", depth=source.depth, valid_from=effective_date,
            )
            for part in parts
        ]
    )
    _fill_missing_paths()
    return [Unit.objects.get(level=source.level, is_legacy=False, code=part.code.strip()) for part in parts]


def _adopt_children(source: Unit, unit: Unit, child_ids: Sequence[int]) -> None:
    """Move the listed children of the source (with their subtrees) under a new unit."""
    for child in Unit.objects.filter(pk__in=child_ids, parent=source):
        new_path = f"{unit.path}{child.pk}/"
        _rebase_subtree_paths(old_prefix=child.path, new_prefix=new_path)
        Unit.objects.filter(pk=child.pk).update(parent=unit, path=new_path, depth=unit.depth + 1)


def _check_split(source: Unit, parts: Sequence[SplitPart], remainder_index: int) -> None:
    if not source.is_current:
        raise ValidationError(_("Đơn vị cần chia tách phải đang hoạt động."))
    if source.level == Level.PROVINCE:
        raise ValidationError(_("Chưa hỗ trợ chia tách cấp tỉnh."))
    if len(parts) < 2:
        raise ValidationError(_("Chia tách cần ít nhất hai đơn vị mới."))
    if not 0 <= remainder_index < len(parts):
        raise ValidationError(_("Cần chọn đơn vị mới nhận phần còn lại."))
    if any(part.kind not in _SPLIT_KINDS.get(source.level, ()) for part in parts):
        raise ValidationError(_("Loại đơn vị mới không hợp lệ."))
    _check_split_codes(source, parts)
    _check_split_names(source, parts)
    _check_split_children(source, parts)


def _check_split_codes(source: Unit, parts: Sequence[SplitPart]) -> None:
    codes = [part.code.strip() for part in parts]
    if len(set(codes)) != len(codes) or not all(is_valid_code(code) for code in codes):
        raise ValidationError(_("Mỗi đơn vị mới cần một mã hợp lệ, không trùng nhau."))
    if Unit.objects.filter(level=source.level, is_legacy=False, code__in=codes).exists():
        raise ValidationError(_("Mã này đã được dùng (mã không bao giờ được dùng lại)."))


def _check_split_names(source: Unit, parts: Sequence[SplitPart]) -> None:
    names = [clean_name(part.name) for part in parts]
    if not all(names):
        raise ValidationError(_("Tên đơn vị mới không được để trống."))
    if any(len(name) > 200 for name in names):
        raise ValidationError(_("Tên đơn vị mới quá dài (tối đa 200 ký tự)."))
    if len({village_search_name(name) for name in names}) != len(names):
        raise ValidationError(_("Các đơn vị mới phải có tên khác nhau."))
    for name in names:
        if _name_taken(parent_id=source.parent_id, level=source.level, name=name, exclude=[source.pk]):
            raise ValidationError(
                _("Đơn vị cấp trên đã có một đơn vị khác mang tên %(name)s.") % {"name": name}
            )


def _check_split_children(source: Unit, parts: Sequence[SplitPart]) -> None:
    listed = [pk for part in parts for pk in part.children]
    if len(set(listed)) != len(listed):
        raise ValidationError(_("Mỗi đơn vị cấp dưới chỉ được giao cho một đơn vị mới."))
    own = set(Unit.objects.current().filter(parent=source, pk__in=listed).values_list("pk", flat=True))
    if own != set(listed):
        raise ValidationError(_("Có đơn vị cấp dưới được chọn không thuộc đơn vị cần chia tách."))
