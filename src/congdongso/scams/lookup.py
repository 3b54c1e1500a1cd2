"""The public lookup: one box in, status, report count, tactic and advice out.

Built to be fast: the input is normalised in Python (identifiers.py), then one indexed query reads
every candidate row by its unique `key` (or, for an account number given without its bank, by the
indexed `value`), with the tactic joined in. Plain SQL through the cursor, no model instances. The
advice per status is a tiny table kept in memory for a minute.

The normal form of an input depends on the input alone (identifiers.py is pure and offline), and
phonenumbers' parsing is about half the CPU of a lookup; so it is remembered per process for the
last SCAMS_LOOKUP_PARSE_CACHE_SIZE inputs (default 10,000, about 10 MB; 0 turns it off) of at most 200
characters, the same number or link typed again by the many people it reached. Nothing read from the
database is kept here: entities are read on every call (the API's answer cache is in fast_lookup.py).
"""

import datetime as dt
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from congdongso.scams import identifiers
from congdongso.scams.models import STATUS_RANK, Kind, Status, StatusAdvice

UNRECOGNISED = "unrecognised"
MAX_MATCHES = 20
STATUS_ADVICE_SECONDS = 60
PARSE_CACHE_SIZE = 10_000
PARSE_CACHE_MAX_INPUT = 200


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


def _parser():
    size = getattr(settings, "SCAMS_LOOKUP_PARSE_CACHE_SIZE", PARSE_CACHE_SIZE)
    remembered = lru_cache(maxsize=size)(identifiers.parse_query) if size else None

    def parse(raw: str) -> identifiers.Query:
        if remembered is not None and type(raw) is str and len(raw) <= PARSE_CACHE_MAX_INPUT:
            return remembered(raw)
        return identifiers.parse_query(raw)

    parse.cache_info = remembered.cache_info if remembered is not None else None
    return parse


parse = _parser()


def lookup(raw: str) -> LookupResult:
    query = parse(raw)
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


@lru_cache(maxsize=64)
def _sql(key_count: int, loose_count: int) -> str:
    """The query for this many keys and loose values (a handful of shapes, built once each)."""
    conditions = []
    if key_count:
        conditions.append(f"e.key IN ({', '.join(['%s'] * key_count)})")
    if loose_count:
        conditions.append(f"(e.value IN ({', '.join(['%s'] * loose_count)}) AND e.kind IN (%s, %s))")
    return _SELECT + " OR ".join(conditions) + f" LIMIT {MAX_MATCHES}"


def fetch_matches(keys: tuple[str, ...], loose_values: tuple[str, ...] = ()) -> list[Match]:
    """Every entity under these keys (and loose values): one indexed query."""
    if not keys and not loose_values:
        return []
    params = [*keys, *loose_values, *_LOOSE_KINDS] if loose_values else list(keys)
    with connection.cursor() as cursor:
        cursor.execute(_sql(len(keys), len(loose_values)), params)
        rows = cursor.fetchall()
    return [
        Match(
            key=row[0], kind=row[1], display=row[2], status=row[3], report_count=row[4],
            first_seen=_datetime(row[5]), last_seen=_datetime(row[6]), tactic=row[7] or "",
            tactic_advice=row[8] or "", hotlines=row[9] or "", exact=row[0] in keys,
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
