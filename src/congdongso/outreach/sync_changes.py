"""What changed in a member's scope since the phone's cursor, in pages, with short keys.

A *pass* sends everything changed since `t` (all of it on the first sync): households in pages by id
(with their residents and adoption), then open or closed follow-ups in pages, and on the first page
of the pass the catalogue (only when it changed) and the scam alerts. When a pass ends, the next
one starts at the time this one started, less a margin: a write that was in flight while we read
is sent again next time rather than missed (30 s: far longer than a batch holds its transaction) (the phone stores by id, so a repeat changes nothing).

The cursor is opaque to the phone: base64 of a small JSON. A cursor that cannot be read, or made
for another scope (the member moved), starts again from nothing and says `reset`.

Keys (documented for the phone in /api/v1/docs):
  households  id, v village id, t tags, n residents, c consent, nu nucleus, m missing skills,
              la last assist (ISO), and with consent only: hn head name, ad address, ph phone
  residents   id, h household, sx sex, dv device, pf proficient, sk skills, and with consent only:
              nm name, by birth year
  adoption    r resident, s service code, st state
  catalog     c code, n name, k skill, sp needs a smartphone, o order
  alerts      id, t title, m message, f valid from, u valid until, w withdrawn
  follow_ups  id, h household, v village, r reason, d due date, s status
  villages    id, n name (the villages the households of this page are in)
"""

import base64
import datetime as dt
import hashlib
import json
import uuid

from django.db import connection
from django.db.models import BooleanField, Max, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from congdongso.accounts.models import User
from congdongso.accounts.selectors import scope_of
from congdongso.catalog.models import Adoption, AdoptionState, Service
from congdongso.geo.models import Unit
from congdongso.households.models import TAG_FIELDS, ConsentRecord, Household, HouseholdFieldVersion, Resident
from congdongso.households.selectors import households_visible
from congdongso.outreach.models import Assist, AssistActivity, FollowUp, FollowUpStatus
from congdongso.outreach.services import households_listed_record
from congdongso.scams.models import Alert

HOUSEHOLDS_PER_PAGE = 400
FOLLOW_UPS_PER_PAGE = 500
ALERTS_LIMIT = 200
MARGIN = dt.timedelta(seconds=30)
CURSOR_VERSION = 1


def _micros(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _from_micros(value: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(value / 1_000_000, tz=dt.UTC)


def _scope_print(user: User) -> str:
    scope = scope_of(user)
    text = "*" if scope.everything else "|".join(sorted(scope.paths))
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def encode_cursor(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(state, dict) or state.get("v") != CURSOR_VERSION:
        return None
    t, u, h, f = state.get("t"), state.get("u"), state.get("h"), state.get("f")
    if t is not None and not isinstance(t, int) or not isinstance(u, int | type(None)):
        return None
    if h is not None and not _is_uuid(h) or f is not None and not (isinstance(f, int) and f >= 0):
        return None
    if not isinstance(state.get("s"), str) or not isinstance(state.get("c", ""), str):
        return None
    return state


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def changes_since(user: User, cursor: str | None) -> dict:
    """The next page of changes for this user: {"changes": {...}, "cursor": str, "more": bool, "reset": bool}."""
    fingerprint = _scope_print(user)
    state = decode_cursor(cursor)
    reset = False
    if state is None or state["s"] != fingerprint:
        reset = cursor is not None
        state = {"v": CURSOR_VERSION, "t": None, "s": fingerprint, "c": ""}
    now = timezone.now()
    first_page = state.get("u") is None
    if first_page:
        state.update(u=_micros(now), h=None, f=None, hd=False, fd=False)
    since = _from_micros(state["t"]) if state["t"] is not None else None
    changes: dict[str, list] = {
        "households": [], "residents": [], "adoption": [], "catalog": [], "alerts": [], "follow_ups": [], "villages": [],
    }
    if not state["hd"]:
        last = _households_page(user, since, state["h"], changes)
        state["h"], state["hd"] = (last, False) if last else (state["h"], True)
    if state["hd"] and not state["fd"]:
        last = _follow_ups_page(user, since, state["f"], changes)
        state["f"], state["fd"] = (last, False) if last else (state["f"], True)
    if first_page:
        changes["alerts"] = _alerts(user, since)
        catalog, digest = _catalog(user)
        if digest != state["c"]:
            changes["catalog"], state["c"] = catalog, digest
    more = not (state["hd"] and state["fd"])
    if not more:
        state = {"v": CURSOR_VERSION, "t": state["u"] - int(MARGIN.total_seconds() * 1_000_000), "s": fingerprint,
                 "c": state["c"]}
    return {"changes": changes, "cursor": encode_cursor(state), "more": more, "reset": reset}


_HOUSEHOLD, _RESIDENT, _ADOPTION, _VERSION, _CONSENT = (
    model._meta.db_table for model in (Household, Resident, Adoption, HouseholdFieldVersion, ConsentRecord)
)


def _changed_condition(since: dt.datetime) -> RawSQL:
    """True for a household that changed, or whose residents, adoption, field versions or consent
    changed, after `since`. Written as one SQL condition rather than ORM subqueries: the feed runs on
    every sync, and building those subqueries cost twice as long as the database took to run them."""
    at = connection.ops.adapt_datetimefield_value(since)
    sql = (
        f"({_HOUSEHOLD}.updated_at > %s OR {_HOUSEHOLD}.anonymised_at > %s"
        f" OR EXISTS (SELECT 1 FROM {_RESIDENT} r WHERE r.household_id = {_HOUSEHOLD}.id AND r.updated_at > %s)"
        f" OR EXISTS (SELECT 1 FROM {_ADOPTION} a INNER JOIN {_RESIDENT} r ON a.resident_id = r.id"
        f" WHERE r.household_id = {_HOUSEHOLD}.id AND a.updated_at > %s)"
        f" OR {_HOUSEHOLD}.id IN (SELECT v.household_id FROM {_VERSION} v WHERE v.recorded_at > %s)"
        f" OR EXISTS (SELECT 1 FROM {_CONSENT} c WHERE c.household_id = {_HOUSEHOLD}.id"
        " AND (c.given_at > %s OR c.withdrawn_at > %s)))"
    )
    return RawSQL(sql, [at] * 7, output_field=BooleanField())


def _changed_households(user: User, since: dt.datetime | None):
    households = households_visible(user)
    if since is None:
        return households
    changed = Q(_changed_condition(since))
    # The member's own assists are on their phone already; others' change the last-assist time.
    # Only villages where someone else has worked since are read (through the (village,
    # received_at) index): the member's own recent assists are never scanned to find no others.
    worked = list(
        AssistActivity.objects.filter(village_id__in=_villages(user), last_received_at__gt=since)
        .exclude(member_id=user.pk).values_list("village_id", flat=True).distinct()
    )
    if worked:
        changed |= Q(pk__in=Assist.objects.filter(village_id__in=worked, received_at__gt=since)
                     .exclude(member=user).values("household_id"))
    return households.filter(changed)


def _villages(user: User):
    scope = scope_of(user)
    return Unit.objects.filter(scope.q()).values("pk") if not scope.everything else Unit.objects.values("pk")


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else None


def _households_page(user: User, since, after: str | None, changes: dict) -> str | None:
    """One page of changed households; the last id when more may follow, else None."""
    households = _changed_households(user, since)
    if after:
        households = households.filter(pk__gt=after)
    fields = ("pk", "village_id", "resident_count", "has_consent", "has_nucleus", "missing_skills", "head_name",
              "address_line", "phone", *TAG_FIELDS.values())
    rows = list(households.order_by("pk").values(*fields)[: HOUSEHOLDS_PER_PAGE + 1])
    more = len(rows) > HOUSEHOLDS_PER_PAGE
    rows = rows[:HOUSEHOLDS_PER_PAGE]
    if not rows:
        return None
    ids = [row["pk"] for row in rows]
    consented = {row["pk"] for row in rows if row["has_consent"]}
    last_assist = dict(
        Assist.objects.filter(household_id__in=ids).values_list("household_id").annotate(at=Max("occurred_at")).order_by()
    )
    for row in rows:
        item = {
            "id": str(row["pk"]), "v": row["village_id"], "t": [tag for tag, f in TAG_FIELDS.items() if row[f]],
            "n": row["resident_count"], "c": int(row["has_consent"]), "nu": int(row["has_nucleus"]),
            "m": row["missing_skills"], "la": _iso(last_assist.get(row["pk"])),
        }
        if row["has_consent"]:
            item.update(hn=row["head_name"], ad=row["address_line"], ph=row["phone"])
        changes["households"].append(item)
    residents = Resident.objects.filter(household_id__in=ids).order_by("household_id", "pk").values_list(
        "pk", "household_id", "sex", "device", "proficient", "skills", "display_name", "birth_year"
    )
    resident_ids = []
    for pk, household_id, sex, device, proficient, skills, name, birth_year in residents:
        resident_ids.append(pk)
        item = {"id": str(pk), "h": str(household_id), "sx": sex, "dv": device, "pf": int(proficient), "sk": skills}
        if household_id in consented:
            item.update(nm=name, by=birth_year)
        changes["residents"].append(item)
    for start in range(0, len(resident_ids), 500):
        adoption = (
            Adoption.objects.filter(resident_id__in=resident_ids[start : start + 500])
            .exclude(state=AdoptionState.NOT_YET).values_list("resident_id", "service__code", "state")
        )
        changes["adoption"].extend({"r": str(r), "s": code, "st": state} for r, code, state in adoption)
    village_ids = {row["village_id"] for row in rows}
    changes["villages"].extend(
        {"id": pk, "n": name} for pk, name in Unit.objects.filter(pk__in=village_ids).values_list("pk", "name")
    )
    # Names of consenting households leave the server: audited as the worklist is (ids only).
    households_listed_record(
        actor_id=user.pk, households=[Household(pk=pk, has_consent=True) for pk in consented], page="api.sync"
    )
    return str(ids[-1]) if more else None


def _follow_ups_page(user: User, since, after: int | None, changes: dict) -> int | None:
    follow_ups = FollowUp.objects.filter(scope_of(user).q("village"))
    if since is None:
        follow_ups = follow_ups.filter(status=FollowUpStatus.OPEN)
    else:
        follow_ups = follow_ups.filter(Q(created_at__gt=since) | Q(closed_at__gt=since))
    if after:
        follow_ups = follow_ups.filter(pk__gt=after)
    rows = list(
        follow_ups.order_by("pk").values_list("pk", "household_id", "village_id", "reason", "due_on", "status")[
            : FOLLOW_UPS_PER_PAGE + 1
        ]
    )
    more = len(rows) > FOLLOW_UPS_PER_PAGE
    rows = rows[:FOLLOW_UPS_PER_PAGE]
    for pk, household_id, village_id, reason, due_on, status in rows:
        changes["follow_ups"].append({
            "id": pk, "h": str(household_id) if household_id else None, "v": village_id, "r": reason,
            "d": due_on.isoformat(), "s": status,
        })
    return rows[-1][0] if more and rows else None


def _alerts(user: User, since) -> list[dict]:
    scope = scope_of(user)
    if scope.everything:
        alerts = Alert.objects.all()
    else:
        above = {int(part) for path in scope.paths for part in path.strip("/").split("/") if part}
        alerts = Alert.objects.filter(scope.q("unit") | Q(unit_id__in=above))
    today = timezone.localdate()
    if since is None:
        alerts = alerts.filter(withdrawn_at__isnull=True, valid_until__gte=today)
    else:
        alerts = alerts.filter(Q(published_at__gt=since) | Q(withdrawn_at__gt=since))
    rows = alerts.order_by("-valid_from", "-pk").values_list(
        "pk", "title", "message", "valid_from", "valid_until", "withdrawn_at"
    )[:ALERTS_LIMIT]
    return [
        {"id": pk, "t": title, "m": message, "f": start.isoformat(), "u": end.isoformat(), "w": int(withdrawn is not None)}
        for pk, title, message, start, end, withdrawn in rows
    ]


def _catalog(user: User) -> tuple[list[dict], str]:
    scope = scope_of(user)
    if scope.everything:
        services = Service.objects.filter(is_active=True)
    else:
        provinces = {int(path.strip("/").split("/")[0]) for path in scope.paths}
        services = Service.objects.filter(Q(province__isnull=True) | Q(province_id__in=provinces), is_active=True)
    rows = [
        {"c": code, "n": name, "k": skill, "sp": int(smart), "o": order}
        for code, name, skill, smart, order in services.order_by("sort_order", "code").values_list(
            "code", "name", "skill", "needs_smartphone", "sort_order"
        )
    ]
    digest = hashlib.blake2b(json.dumps(rows, ensure_ascii=False).encode(), digest_size=8).hexdigest()
    return rows, digest
