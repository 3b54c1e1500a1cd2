"""The one helper every view calls when it shows households' personal details: `access_record`.

A leaf like the writer: it imports no domain app. It takes what the view already holds — Household
objects (anything with `pk`, `village_id`, `resident_count`, `has_consent`) or the sync feed's
household dicts (`id`, `v`, `n`, `c`) — and keeps only the households whose details were on show
(consent in force): a counts-only household carries nothing personal, so looking at it is not logged.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from congdongso.audit.models import AccessChannel, AccessLog

# A list or sync page is one row per village; its household ids are kept up to this many.
# `household_id` is also set when exactly one household was on show (a household's own page).
MAX_IDS_PER_ROW = 500


@dataclass(frozen=True)
class Shown:
    household_id: str
    unit_id: int | None
    people: int


def _shown(item: Any) -> Shown | None:
    if isinstance(item, dict):
        if not item.get("c"):
            return None
        return Shown(str(item["id"]), item.get("v"), int(item.get("n") or 0))
    if not getattr(item, "has_consent", False):
        return None
    return Shown(str(item.pk), getattr(item, "village_id", None), int(getattr(item, "resident_count", 0) or 0))


def _channel(request: HttpRequest, what: str) -> str:
    if what.startswith("sync"):
        return AccessChannel.SYNC
    if what.startswith("export"):
        return AccessChannel.EXPORT
    return AccessChannel.API if request.path.startswith("/api/") else AccessChannel.PAGE


def access_record(request: HttpRequest, *, what: str, households: Iterable[Any]) -> int:
    """Record that `request.user` is about to see these households' personal details; returns the
    number of rows written (one per village, or one for a single household's page)."""
    shown = [s for s in map(_shown, households) if s is not None]
    if not shown:
        return 0
    actor_id = request.user.pk if request.user.is_authenticated else None
    channel = _channel(request, what)
    now = timezone.now()
    by_unit: dict[int | None, list[Shown]] = defaultdict(list)
    for item in shown:
        by_unit[item.unit_id].append(item)
    rows = [
        AccessLog(
            occurred_at=now, actor_id=actor_id, channel=channel, what=what[:40], unit_id=unit_id,
            household_id=items[0].household_id if len(shown) == 1 else None,
            household_ids=[s.household_id for s in items[:MAX_IDS_PER_ROW]],
            households=len(items), people=sum(s.people for s in items),
        )
        for unit_id, items in by_unit.items()
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)
