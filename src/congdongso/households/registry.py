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
