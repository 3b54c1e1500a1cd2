"""What hangs off a unit, and how a merge moves it.

Apps above `geo` hold foreign keys to units. A merge must leave nothing behind, so by default every
foreign key to `Unit` found in the model registry is moved to the target with one UPDATE. An app
registers a mover of its own when moving needs more care (rows that would collide on a unique
constraint, tallies that must be added up), or declares a reference as history that must stay.
Registration happens in `AppConfig.ready()`, so `geo` never imports the apps above it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models

UnitRefMover = Callable[[list[int], int], int]
"""(source unit ids, target unit id) -> number of rows moved."""

_movers: dict[tuple[str, str], UnitRefMover] = {}
_kept: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class UnitReference:
    model: type[models.Model]
    field_name: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.model._meta.label, self.field_name)


def register_unit_ref_mover(model: type[models.Model], field_name: str, mover: UnitRefMover) -> None:
    _movers[(model._meta.label, field_name)] = mover


def keep_unit_ref(model: type[models.Model], field_name: str) -> None:
    """Declare a reference as history: a merge leaves it pointing at the retired unit."""
    _kept.add((model._meta.label, field_name))


def unit_references() -> list[UnitReference]:
    """Every foreign key to `Unit` outside geo's own tree and history tables."""
    from congdongso.geo.models import Unit

    found: list[UnitReference] = []
    for model in apps.get_models():
        if model._meta.app_label == "geo":
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Unit:
                found.append(UnitReference(model, field.name))
    return found


def move_unit_references(source_ids: list[int], target_id: int) -> dict[str, int]:
    """Move every non-history reference from the sources to the target; counts per reference."""
    moved: dict[str, int] = {}
    for ref in unit_references():
        if ref.key in _kept:
            continue
        mover = _movers.get(ref.key, _default_mover(ref))
        moved[f"{ref.key[0]}.{ref.key[1]}"] = mover(source_ids, target_id)
    return moved


def _default_mover(ref: UnitReference) -> UnitRefMover:
    def move(source_ids: list[int], target_id: int) -> int:
        column = ref.model._meta.get_field(ref.field_name).attname
        return ref.model._base_manager.filter(**{f"{column}__in": source_ids}).update(**{column: target_id})

    return move


def is_kept(ref: UnitReference) -> bool:
    return ref.key in _kept
