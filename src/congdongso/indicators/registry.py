"""Where the apps that count things declare how to recount them from their facts.

Each counting app owns a `metrics.py` and registers its recount here in `AppConfig.ready()`, so
`indicators` never imports the apps that feed it. A recount yields rows `(unit_id, period, metric,
value)` at the unit a fact hangs on (a household's village, a team's unit); the writer adds them up
into every ancestor.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence

Row = tuple[int, str, str, int]
Recount = Callable[[Sequence[str] | None], Iterable[Row]]
"""(unit path prefixes, None for everything) -> rows of the facts under those units."""

_sources: dict[str, Recount] = {}


def register_metric_source(name: str, recount: Recount) -> None:
    _sources[name] = recount


def metric_sources() -> dict[str, Recount]:
    return dict(_sources)


def recount_all(prefixes: Sequence[str] | None = None) -> Iterator[Row]:
    for recount in _sources.values():
        yield from recount(prefixes)


# Service names belong to `catalog`: it registers a lookup here so dashboards name services
# without importing it.
_service_names: list = []


def register_service_names(lookup) -> None:
    """`lookup`: a callable returning {service code: name}."""
    _service_names[:] = [lookup]


def service_names() -> dict[str, str]:
    return _service_names[0]() if _service_names else {}
