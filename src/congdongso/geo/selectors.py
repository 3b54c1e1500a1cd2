"""Reads of administrative units that are more than a get."""

from django.db.models import QuerySet

from congdongso.geo.models import Level, Unit, UnitLink, UnitName
from congdongso.geo.naming import unit_search_keys, village_search_name


def unit_counts() -> dict[str, int]:
    """How many units of each kind are held now (the figures `load_units` reports)."""
    current = Unit.objects.current()
    legacy = Unit.objects.filter(is_legacy=True)
    return {
        "provinces": current.filter(level=Level.PROVINCE).count(),
        "communes": current.filter(level=Level.COMMUNE).count(),
        "villages": current.filter(level=Level.VILLAGE).count(),
        "legacy_provinces": legacy.filter(level=Level.PROVINCE).count(),
        "legacy_districts": legacy.filter(level=Level.DISTRICT).count(),
        "legacy_communes": legacy.filter(level=Level.COMMUNE).count(),
    }


def current_successors(units: QuerySet[Unit] | list[Unit]) -> list[Unit]:
    """Follow merge/split/reform links (and legacy districts down to their communes) to today's units."""
    frontier = {unit.pk for unit in units}
    seen: set[int] = set()
    found: set[int] = set()
    while frontier:
        seen |= frontier
        batch = list(Unit.objects.filter(pk__in=frontier))
        found |= {unit.pk for unit in batch if unit.is_current}
        retired = [unit for unit in batch if not unit.is_current]
        next_ids = set(
            UnitLink.objects.filter(predecessor__in=retired).values_list("successor_id", flat=True)
        )
        # A legacy district was abolished as a whole: it lives on through its communes.
        for district in (unit for unit in retired if unit.level == Level.DISTRICT):
            next_ids |= set(
                Unit.objects.filter(parent=district).values_list("pk", flat=True)
            )
        frontier = next_ids - seen
    return list(Unit.objects.filter(pk__in=found).order_by("path"))


def resolve_code(code: str, *, level: str | None = None, legacy: bool | None = None) -> list[Unit]:
    """Today's unit(s) for an official code, old or new.

    A current code answers itself; a retired or legacy code answers the unit(s) it became. Codes of
    the legacy and current structures overlap, so pass `legacy=True` to read a pre-2025 code.
    """
    units = Unit.objects.filter(code=code.strip())
    if level:
        units = units.filter(level=level)
    if legacy is not None:
        units = units.filter(is_legacy=legacy)
    current = [unit for unit in units if unit.is_current]
    if current and not legacy:
        return current
    return current_successors(list(units))


def resolve_name(name: str, *, level: str) -> list[Unit]:
    """Today's unit(s) for a name, current or former (legacy names and renames included)."""
    keys = [village_search_name(name)] if level == Level.VILLAGE else unit_search_keys(name)
    for key in keys:
        found = _resolve_search_key(key, level=level)
        if found:
            return found
    return []


def _resolve_search_key(key: str, *, level: str) -> list[Unit]:
    if not key:
        return []
    current = list(Unit.objects.current().filter(level=level, search_name=key))
    if current:
        return current
    old = list(Unit.objects.filter(level=level, search_name=key))
    renamed = Unit.objects.filter(
        pk__in=UnitName.objects.filter(search_name=key, unit__level=level).values("unit_id")
    )
    return current_successors(old + list(renamed))


def units_matching(query: str, *, within: QuerySet[Unit], levels: tuple[str, ...], limit: int = 20) -> list[Unit]:
    """Current units whose name contains the query, diacritics ignored ("tan hai" finds "Tân Hải")."""
    key = village_search_name(query)
    if not key:
        return []
    return list(
        within.current()
        .filter(level__in=levels, search_name__contains=key)
        .select_related("parent")
        .order_by("depth", "name")[:limit]
    )
