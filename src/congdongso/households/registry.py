"""Apps above `households` that keep free text about a household register an anonymiser here, in
their AppConfig.ready(); withdrawal and erasure call them all, so households imports none of them."""

from collections.abc import Callable
from uuid import UUID

Anonymiser = Callable[[UUID], int]

_anonymisers: list[Anonymiser] = []


def register_anonymiser(anonymiser: Anonymiser) -> None:
    if anonymiser not in _anonymisers:
        _anonymisers.append(anonymiser)


def run_anonymisers(household_id: UUID) -> int:
    return sum(anonymiser(household_id) for anonymiser in _anonymisers)


# The names of the five basic skills belong to `catalog`; it registers them here (AppConfig.ready())
# so that households pages can name a resident's skills without importing catalog.
_skill_names: list[tuple[str, str]] = []


def register_skill_names(choices) -> None:
    """`choices`: (code, label) pairs in display order, e.g. catalog's `Skill.choices`."""
    _skill_names[:] = list(choices)


def skill_names() -> list[tuple[str, str]]:
    return list(_skill_names)
