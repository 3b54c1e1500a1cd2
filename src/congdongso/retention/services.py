"""The purge: every registered kind, past its retention, anonymised or deleted; counts in the audit trail."""

import datetime as dt
import logging

from django.utils import timezone

from congdongso.audit.writer import record
from congdongso.retention.registry import kinds

logger = logging.getLogger(__name__)


def expired_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Per kind, how many records are past retention (dry run) or were purged. One kind failing does
    not stop the others: it is logged (its name only) and counted as -1."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for kind in kinds():
        try:
            counts[kind.name] = kind.due(now) if dry_run else kind.purge(now)
        except Exception:
            logger.exception("retention purge failed for kind %s", kind.name)
            counts[kind.name] = -1
            continue
        if not dry_run and counts[kind.name]:
            record(
                actor_id=None, action="retention.purge", object_type="retention.kind", object_id=kind.name,
                details={"count": counts[kind.name], "days": kind.days()},
            )
    return counts
