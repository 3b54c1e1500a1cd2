"""The public lookup: one box in, status, report count, tactic and advice out.

Built to be fast: the input is normalised in Python (identifiers.py), then one indexed query reads
every candidate row by its unique `key` (or, for an account number given without its bank, by the
indexed `value`), with the tactic joined in. Plain SQL through the cursor, no model instances. The
advice per status is a tiny table kept in memory for a minute.
"""

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from congdongso.scams import identifiers
from congdongso.scams.models import STATUS_RANK, Kind, Status, StatusAdvice

UNRECOGNISED = "unrecognised"
MAX_MATCHES = 20
STATUS_ADVICE_SECONDS = 60


@dataclass(frozen=True)
class Match:
    key: str
    kind: str
    display: str
    status: str
    report_count: int
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    tactic: str
    tactic_advice: str
    hotlines: str
    exact: bool


@dataclass(frozen=True)
class LookupResult:
    query: str
    status: str
    kind: str = ""
    display: str = ""
    report_count: int = 0
    tactic: str = ""
    advice: str = ""
    hotlines: str = ""
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    matches: list[Match] = field(default_factory=list)

    @property
    def recognised(self) -> bool:
        return self.status != UNRECOGNISED

    @property
    def status_label(self) -> str:
        if self.status == UNRECOGNISED:
            return _("Không nhận ra")
        return str(Status(self.status).label)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label) if self.kind else ""


def lookup(raw: str) -> LookupResult:
    query = identifiers.parse_query(raw)
    text = (raw or "")[:200] if isinstance(raw, str) else ""
    if not query.recognised:
        return LookupResult(query=text, status=UNRECOGNISED)
    matches = fetch_matches(query.keys, query.loose_values)
    exact_keys = {ident.key for ident in query.identifiers}
    best = pick(matches, exact_keys)
    if best is None:
        first = query.identifiers[0] if query.identifiers else None
        return LookupResult(
            query=text, status=Status.NO_REPORTS, kind=first.kind if first else "",
            display=first.display if first else query.loose_values[0], advice=status_advice(Status.NO_REPORTS),
        )
    advice = "\n".join(part for part in (status_advice(best.status), best.tactic_advice) if part)
    return LookupResult(
        query=text, status=best.status, kind=best.kind, display=best.display, report_count=best.report_count,
        tactic=best.tactic, advice=advice, hotlines=best.hotlines, first_seen=best.first_seen,
        last_seen=best.last_seen, matches=matches,
    )


def pick(matches: list[Match], exact_keys: set[str]) -> Match | None:
    """The worst status wins; among equals, the exact key before a parent domain or a loose value."""
    if not matches:
        return None
    return min(matches, key=lambda m: (STATUS_RANK[m.status], m.key not in exact_keys, -m.report_count))


_SELECT = (
    "SELECT e.key, e.kind, e.display, e.status, e.report_count, e.first_seen, e.last_seen,"
    " t.name, t.advice, t.hotlines"
    " FROM scams_entity e LEFT JOIN scams_tactic t ON t.id = e.tactic_id WHERE "
)
# A number given without its bank matches bank accounts; a bare handle matches social accounts.
_LOOSE_KINDS = (Kind.BANK_ACCOUNT.value, Kind.SOCIAL.value)


def fetch_matches(keys: tuple[str, ...], loose_values: tuple[str, ...] = ()) -> list[Match]:
    """Every entity under these keys (and loose values): one indexed query."""
    conditions, params = [], []
    if keys:
        conditions.append(f"e.key IN ({', '.join(['%s'] * len(keys))})")
        params.extend(keys)
    if loose_values:
        conditions.append(
            f"(e.value IN ({', '.join(['%s'] * len(loose_values))}) AND e.kind IN (%s, %s))"
        )
        params.extend(loose_values)
        params.extend(_LOOSE_KINDS)
    if not conditions:
        return []
    sql = _SELECT + " OR ".join(conditions) + f" LIMIT {MAX_MATCHES}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    key_set = set(keys)
    return [
        Match(
            key=row[0], kind=row[1], display=row[2], status=row[3], report_count=row[4],
            first_seen=_datetime(row[5]), last_seen=_datetime(row[6]), tactic=row[7] or "",
            tactic_advice=row[8] or "", hotlines=row[9] or "", exact=row[0] in key_set,
        )
        for row in rows
    ]


# Per process, for a minute: the table has three rows and is read on every lookup.
_advice: dict = {"texts": None, "until": 0.0}


def status_advice(status: str) -> str:
    now = time.monotonic()
    if _advice["texts"] is None or now >= _advice["until"]:
        _advice["texts"] = dict(StatusAdvice.objects.values_list("status", "advice"))
        _advice["until"] = now + STATUS_ADVICE_SECONDS
    return _advice["texts"].get(status, "")


def forget_status_advice() -> None:
    """After an edit: this process reads the table again at once; others within a minute."""
    _advice["texts"] = None


def _datetime(value) -> dt.datetime | None:
    """SQLite hands back text through a plain cursor; PostgreSQL a datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
