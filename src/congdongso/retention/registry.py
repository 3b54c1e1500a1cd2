"""The kinds of personal data that are kept only for a while, and how to purge each.

A leaf: it imports no domain app, so any app can register its own kind from `AppConfig.ready()`
(`register(RetentionKind(...))`) without an import circle. Each kind answers two questions for a
given moment: how many records are past their retention (`due`) and purge them (`purge`,
anonymising or deleting, returning how many went). Both take `now` so tests can move the clock.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class RetentionKind:
    name: str  # a stable code, used in the command's output and the audit trail
    label: str | Promise  # for people, in Vietnamese
    days: Callable[[], int]  # the retention in days, read from settings when asked
    due: Callable[[dt.datetime], int]
    purge: Callable[[dt.datetime], int]


_KINDS: dict[str, RetentionKind] = {}


def register(kind: RetentionKind) -> None:
    """Add (or replace, when an app is reloaded) a kind."""
    _KINDS[kind.name] = kind


def unregister(name: str) -> None:
    _KINDS.pop(name, None)


def kinds() -> list[RetentionKind]:
    return [_KINDS[name] for name in sorted(_KINDS)]
