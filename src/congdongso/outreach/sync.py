"""The phone's sync: apply a batch of events exactly once, then send what changed in the member's scope.

`sync_apply` takes the events a phone sends (at most 1,000) and answers each, in order:
  accepted   applied now;
  duplicate  the same id with the same content was applied before (nothing changes);
  conflict   the same id with other content: both versions are kept as a SyncConflict for a commune
             officer to review (the stored one stays in force; nothing is dropped or overwritten);
  rejected   invalid or out of scope, with a reason code and a Vietnamese message.
All accepted events of a batch commit in one transaction, with their tally deltas in one upsert:
a crash leaves all of them or none.

The hot path (plain assists: every assist but a "done" that closes a household's open follow-ups)
validates with plain pydantic models, checks scope from a handful of prefetched maps, and inserts
the assists and their audit rows with one `executemany` each; their tally deltas come from
`assist_rows`, the same arithmetic `assist_record` uses; the adoption they raise goes up for all of
them at once (`catalog.services.adoptions_raise_many`) and the follow-ups they open are inserted
together (`outreach.services.follow_ups_open`). Everything else goes through the services one event
at a time.
A batch of plain assists and resends only is decided before its transaction opens, and on SQLite
batches queue for the write lock in the kernel (`common.write_turn`): the lock is held for the
inserts and the commit, not for the checks.

The changes feed (`changes_since`) is in `outreach.sync_changes`.
"""

import datetime as dt
import hashlib
import json
import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as PydanticError

from congdongso.accounts.models import Device, User
from congdongso.accounts.selectors import scope_of
from congdongso.audit.writer import record
from congdongso.catalog.models import Service
from congdongso.catalog.services import AdoptionRaise, adoptions_raise_many
from congdongso.common.sensitive import refuse_sensitive
from congdongso.common.text import clean_name
from congdongso.common.write_turn import write_turn
from congdongso.geo.models import Level, Unit
from congdongso.households import services as household_services
from congdongso.households.models import EDITABLE_FIELDS, TAG_FIELDS, ConsentPurpose, Household, Resident
from congdongso.households.metrics import households_tracked
from congdongso.households.selectors import households_visible
from congdongso.indicators.periods import month_of
from congdongso.indicators.writer import add, batch
from congdongso.outreach import services as outreach_services
from congdongso.outreach.metrics import assist_rows
from congdongso.outreach.registry import assist_checks_run
from congdongso.outreach.models import Assist, EventType, FollowUp, FollowUpStatus, Outcome, SyncConflict, SyncEvent

logger = logging.getLogger(__name__)

_UUID = uuid.UUID
MAX_EVENTS = 1000
FUTURE_SLACK = dt.timedelta(minutes=10)
# Test-only: seconds to wait inside the batch's transaction, after its writes and before the commit,
# so that a test can kill the server process in the middle of a batch. Unset in real use.
_PAUSE_ENV = "CONGDONGSO_SYNC_PAUSE_SECONDS"

# --- the request, as plain pydantic models (about four times cheaper than ninja's Schema) ---------------

_STRICT = ConfigDict(extra="forbid")


class AssistPayload(BaseModel):
    model_config = _STRICT
    household_id: uuid.UUID
    resident_id: uuid.UUID | None = None
    services: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1, max_length=20)
    outcome: Literal["done", "partly", "refused", "needs_follow_up"]
    channel: Literal["door", "event", "phone", "zalo"] = "door"
    independent: bool = False
    note: str = Field("", max_length=outreach_services.MAX_NOTE)
    follow_up_on: dt.date | None = None
    campaign_id: int | None = Field(None, ge=1, le=2**62)


class FollowUpDonePayload(BaseModel):
    model_config = _STRICT
    follow_up_id: int = Field(ge=1, le=2**62)


_FieldValue = Annotated[str, Field(max_length=200)] | int | bool


class HouseholdEditPayload(BaseModel):
    model_config = _STRICT
    household_id: uuid.UUID
    fields: dict[Literal[EDITABLE_FIELDS], _FieldValue] = Field(min_length=1)  # type: ignore[valid-type]


class ConsentIn(BaseModel):
    model_config = _STRICT
    given_by: str = Field(min_length=1, max_length=150)
    method: Literal["spoken", "signed", "in_app"]
    purposes: list[Literal["digital_support", "contact", "statistics"]] = Field(min_length=1, max_length=3)
    notice_version: str = Field(min_length=1, max_length=16)


class HouseholdCreatePayload(BaseModel):
    model_config = _STRICT
    household_id: uuid.UUID
    village_id: int = Field(ge=1, le=2**62)
    tags: list[Literal[tuple(TAG_FIELDS)]] = Field(default_factory=list, max_length=6)  # type: ignore[valid-type]
    resident_count: int = Field(0, ge=0, le=99)
    consent: ConsentIn | None = None
    head_name: str = Field("", max_length=150)
    address_line: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)


class _Event(BaseModel):
    id: uuid.UUID
    occurred_at: AwareDatetime


class AssistEvent(_Event):
    type: Literal["assist"]
    payload: AssistPayload


class FollowUpDoneEvent(_Event):
    type: Literal["follow_up_done"]
    payload: FollowUpDonePayload


class HouseholdEditEvent(_Event):
    type: Literal["household_edit"]
    payload: HouseholdEditPayload


class HouseholdCreateEvent(_Event):
    type: Literal["household_create"]
    payload: HouseholdCreatePayload


TypedEvent = Annotated[
    AssistEvent | FollowUpDoneEvent | HouseholdEditEvent | HouseholdCreateEvent, Field(discriminator="type")
]


class SyncRequest(BaseModel):
    """The whole request, every event well formed (the common case: one validation pass)."""

    device_id: uuid.UUID
    cursor: str | None = Field(None, max_length=2000)
    events: list[TypedEvent] = Field(default_factory=list, max_length=MAX_EVENTS)
    pending: int | None = Field(None, ge=0, le=1_000_000, description="events still waiting on the phone")


class LooseEvent(BaseModel):
    id: uuid.UUID
    type: str = Field("", max_length=40)
    occurred_at: Any = None
    payload: Any = None


class LooseSyncRequest(BaseModel):
    """The same request with each event only needing an id, so bad events are answered one by one."""

    device_id: uuid.UUID
    cursor: str | None = Field(None, max_length=2000)
    events: list[LooseEvent] = Field(default_factory=list, max_length=MAX_EVENTS)
    pending: int | None = Field(None, ge=0, le=1_000_000)


_request_adapter = TypeAdapter(SyncRequest)
_loose_adapter = TypeAdapter(LooseSyncRequest)
_event_adapter = TypeAdapter(TypedEvent)


class RequestInvalid(Exception):
    """The request as a whole cannot be read: answered with the API's error shape."""

    def __init__(self, code: str, message: str, details: object = None, status: int = 422):
        super().__init__(code)
        self.code, self.message, self.details, self.status = code, message, details, status


@dataclass
class Parsed:
    device_id: uuid.UUID
    cursor: str | None
    pending: int | None
    # In the order sent: a typed event, or (id, reason) for one that could not be read.
    events: list = field(default_factory=list)


def parse_request(body: bytes) -> Parsed:
    try:
        request = _request_adapter.validate_json(body)
        return Parsed(request.device_id, request.cursor, request.pending, list(request.events))
    except PydanticError:
        pass
    try:
        loose = _loose_adapter.validate_json(body)
    except PydanticError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        if any(e["type"] == "json_invalid" for e in errors):
            raise RequestInvalid("bad_json", _("Nội dung gửi lên không phải JSON hợp lệ."), status=400) from None
        if any(e["type"] == "too_long" and tuple(e["loc"][:1]) == ("events",) for e in errors):
            raise RequestInvalid(
                "too_many_events", _("Mỗi lần đồng bộ gửi tối đa %(max)s bản ghi.") % {"max": MAX_EVENTS}
            ) from None
        details = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in errors[:20]]
        raise RequestInvalid("invalid", _("Dữ liệu gửi lên không hợp lệ."), details) from None
    events: list = []
    for loose_event in loose.events:
        try:
            events.append(_event_adapter.validate_python(loose_event.model_dump()))
        except PydanticError as exc:
            first = exc.errors(include_url=False, include_context=False, include_input=False)[0]
            where = ".".join(str(part) for part in first["loc"][1:] if not isinstance(part, int))
            events.append((loose_event.id, where or loose_event.type))
    return Parsed(loose.device_id, loose.cursor, loose.pending, events)


# --- answers -------------------------------------------------------------------------------------------

ACCEPTED, DUPLICATE, CONFLICT, REJECTED = "accepted", "duplicate", "conflict", "rejected"


def _messages() -> dict[str, str]:
    return {
        "invalid": _("Bản ghi không hợp lệ."),
        "unknown_household": _("Không tìm thấy hộ này trong phạm vi của bạn."),
        "out_of_scope": _("Thôn/tổ dân phố này không thuộc phạm vi của bạn."),
        "unknown_follow_up": _("Không tìm thấy việc cần quay lại này trong phạm vi của bạn."),
        "consent_required": _(
            "Hộ này chưa đồng ý cung cấp thông tin: chỉ được lưu số lượng, không lưu tên hay số điện thoại."
        ),
        "conflict": _("Mã bản ghi này đã được dùng cho nội dung khác: đã lưu cả hai bản để cán bộ xã xem xét."),
        "already_closed": _("Việc này đã được đóng trước đó."),
        "household_exists": _("Mã hộ này đã được dùng."),
    }


def _answer(event_id: uuid.UUID, status: str, code: str = "", message: str = "") -> dict:
    if not code:
        return {"id": str(event_id), "status": status}
    return {"id": str(event_id), "status": status, "code": code, "message": message or _messages()[code]}


# --- content digests: the same content always gives the same digest -------------------------------------

def _digest(parts: object) -> str:
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.blake2b(blob.encode(), digest_size=16).hexdigest()


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _assist_content(member_id, household_id, resident_id, services, outcome, channel, occurred_at, independent,
                    note, campaign_id) -> tuple:
    """What makes two assists the same (outreach.services._same_assist, as a comparable value)."""
    return (
        member_id, str(household_id), str(resident_id) if resident_id else None, tuple(sorted(set(services))),
        outcome, channel, _utc(occurred_at), bool(independent), note, campaign_id,
    )


def _incoming_assist_content(member_id: int, event: AssistEvent) -> tuple:
    p = event.payload
    return _assist_content(
        member_id, p.household_id, p.resident_id, p.services, p.outcome, p.channel, event.occurred_at,
        p.independent, clean_name(p.note)[: outreach_services.MAX_NOTE], p.campaign_id,
    )


def _content_dict(content: tuple) -> dict:
    keys = ("member", "household_id", "resident_id", "services", "outcome", "channel", "occurred_at", "independent",
            "note", "campaign_id")
    values = dict(zip(keys, content, strict=True))
    values["services"] = list(values["services"])
    return values


def _event_record(member_id: int, event) -> dict:
    """A non-assist event as stored on its receipt (and compared through its digest)."""
    return {
        "member": member_id, "type": event.type, "occurred_at": _utc(event.occurred_at),
        "payload": _canonical_payload(event),
    }


def _canonical_payload(event) -> dict:
    payload = event.payload.model_dump(mode="json")
    if event.type == EventType.HOUSEHOLD_CREATE:
        payload["tags"] = sorted(set(payload["tags"]))
        if payload.get("consent"):
            payload["consent"]["purposes"] = sorted(set(payload["consent"]["purposes"]))
    return payload


# --- adapting values for the raw inserts of the hot path -----------------------------------------------

class _Adapt:
    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"

    def uuid(self, value: uuid.UUID | None):
        if value is None:
            return None
        return value.hex if self.sqlite else value

    def to_uuid(self, value):
        return _UUID(value) if isinstance(value, str) else value

    def moment(self, value: dt.datetime):
        if self.sqlite:
            return str(value.astimezone(dt.UTC).replace(tzinfo=None))
        return value

    def json_placeholder(self) -> str:
        return "%s" if self.sqlite else "%s::jsonb"


# --- the batch ------------------------------------------------------------------------------------------

class _Service(NamedTuple):
    id: int
    province_id: int | None  # None: national
    sort_order: int
    name: str


@dataclass
class _Context:
    member: User
    device: Device | None
    households: dict  # id -> (village_id, village_path, province_id)
    residents: dict  # id -> household_id
    services: dict  # code -> _Service
    villages: dict  # id -> Unit, loaded when first needed
    open_follow_ups: frozenset  # households with open follow-ups before the batch
    busy_households: set  # ... and as the events decided so far leave them (each `_decide` starts afresh)
    now: dt.datetime
    adapt: _Adapt

    # Households and residents the services are handed, loaded once per batch.
    objects: dict = field(default_factory=dict)

    def village(self, village_id: int) -> Unit:
        if village_id not in self.villages:
            self.villages[village_id] = Unit.objects.get(pk=village_id)
        return self.villages[village_id]


class _Reject(Exception):
    def __init__(self, code: str, message: str = ""):
        super().__init__(code)
        self.code, self.message = code, message


def sync_apply(*, member: User, device: Device | None, events: list, pending: int | None = None) -> list[dict]:
    """Apply a parsed batch (see `parse_request`) for a member; answers in the order sent.

    One transaction: everything accepted commits together. A batch that loses a race on an id
    (another request stored it between our check and our insert) is run again from the start and
    then answers "duplicate" for it."""
    for attempt in range(3):
        try:
            return _apply_once(member, device, events, pending, plan_first=attempt == 0)
        except (IntegrityError, OperationalError) as exc:
            if attempt == 2:
                raise
            logger.warning("sync batch retried after %s: %s", type(exc).__name__, exc)
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


@dataclass
class _Outcome:
    """What a batch decided: the answers, and what to write for them."""

    results: list
    plain: "_PlainRows" = field(default_factory=lambda: _PlainRows())  # not yet written
    receipts: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)


def _apply_once(member: User, device: Device | None, events: list, pending: int | None, plan_first: bool) -> list[dict]:
    context = _prefetch(member, device, events)
    pause = float(os.environ.get(_PAUSE_ENV) or 0)
    # The common batch (plain assists, resends) is decided before the write transaction: the
    # database is locked only to insert. The stored ids it read may be stale by then; an id stored
    # meanwhile fails the insert (IntegrityError) and the batch runs again, decided inside.
    planned = _decide(context, events, *_stored(events, context.adapt), write=False) if plan_first else None
    # Households the services will change (adoption, field edits): measured once for the whole batch
    # (the services' own households_tracked() then leave them to this one), not twice per event.
    with write_turn(), transaction.atomic(), batch(), households_tracked(_households_changed_by_services(context, events)):
        outcome = planned or _decide(context, events, *_stored(events, context.adapt), write=True)
        _plain_write(context, outcome.plain)
        SyncEvent.objects.bulk_create(outcome.receipts)
        SyncConflict.objects.bulk_create(outcome.conflicts, ignore_conflicts=True)
        _device_synced(member, device, pending, outcome.results)
        if pause:
            _paused(pause)
    return outcome.results


class _NeedsTransaction(Exception):
    """Raised while deciding outside the transaction: this event goes through the services."""


def _decide(context: "_Context", events: list, stored_assists: dict, receipts: dict, *, write: bool) -> _Outcome | None:
    """Answer each event in order. With `write`, events that need the services are applied as they
    come (after writing the plain assists before them that raise adoption or open a follow-up in the
    same household, so the services find them); without, such an event ends the decision (None:
    decide again inside the transaction)."""
    member, device = context.member, context.device
    outcome = _Outcome(results=[None] * len(events))
    results = outcome.results
    seen: dict[uuid.UUID, tuple[str, object]] = {}  # ids handled earlier in this batch -> (kind, content)
    plain: list[AssistEvent] = []
    # Households whose adoption the plain assists not yet written raise, or where they open a follow-up.
    pending: set[uuid.UUID] = set()
    context.busy_households = set(context.open_follow_ups)
    try:
        for index, event in enumerate(events):
            if isinstance(event, tuple):
                event_id, where = event
                results[index] = _answer(
                    event_id, REJECTED, "invalid", _("Bản ghi không hợp lệ (%(field)s).") % {"field": where}
                )
                continue
            if event.id in seen or event.id in stored_assists or event.id in receipts:
                results[index] = _replay_answer(context, event, stored_assists, receipts, seen, outcome.conflicts)
                continue
            try:
                if event.occurred_at > context.now + FUTURE_SLACK:
                    # A time in the future would win every later edit ("newest occurred_at wins").
                    raise ValidationError(_("Thời điểm ghi nhận không được ở tương lai."), code="invalid")
                if event.type == EventType.ASSIST and _check_assist(context, event):
                    plain.append(event)
                    opens = _opens_follow_up(event.payload)
                    if opens or _adoption_raised(event.payload):
                        pending.add(event.payload.household_id)
                    if opens:
                        context.busy_households.add(event.payload.household_id)
                    seen[event.id] = ("assist", event)
                    results[index] = _answer(event.id, ACCEPTED)
                    continue
                if not write:
                    raise _NeedsTransaction
                if _household_of(event) in pending:
                    _plain_write(context, _plain_rows(context, plain))
                    plain.clear()
                    pending.clear()
                if event.type == EventType.ASSIST:
                    _slow_assist(context, event)
                    seen[event.id] = ("assist", event)
                else:
                    village_id, household_id = _apply_other(context, event)
                    record_ = _event_record(member.pk, event)
                    outcome.receipts.append(SyncEvent(
                        id=event.id, type=event.type, digest=_digest(record_), member=member, device=device,
                        village_id=village_id, household_id=household_id, payload=record_,
                        occurred_at=event.occurred_at,
                    ))
                    seen[event.id] = ("event", record_)
                results[index] = _answer(event.id, ACCEPTED)
            except _Reject as reject:
                results[index] = _answer(event.id, REJECTED, reject.code, reject.message)
            except ValidationError as exc:
                code = getattr(exc, "code", None) or "invalid"
                results[index] = _answer(event.id, REJECTED, code, " ".join(exc.messages))
    except _NeedsTransaction:
        return None
    outcome.plain = _plain_rows(context, plain)
    return outcome


def _opens_follow_up(p: AssistPayload) -> bool:
    return p.outcome == Outcome.NEEDS_FOLLOW_UP or p.follow_up_on is not None


def _adoption_raised(p: AssistPayload) -> str | None:
    return outreach_services.adoption_raised_to(p.outcome, p.independent) if p.resident_id is not None else None


def _households_changed_by_services(context: "_Context", events: list) -> list:
    ids = set()
    for event in events:
        if isinstance(event, tuple):
            continue
        p = event.payload
        if event.type == EventType.HOUSEHOLD_EDIT or (event.type == EventType.ASSIST and _adoption_raised(p)):
            if p.household_id in context.households:
                ids.add(p.household_id)
    return sorted(ids)


def _prefetch(member: User, device: Device | None, events: list) -> _Context:
    """Everything the checks need, in a few queries, before the write transaction starts."""
    household_ids, resident_ids = set(), set()
    for event in events:
        if isinstance(event, tuple):
            continue
        payload = event.payload
        if event.type in (EventType.ASSIST, EventType.HOUSEHOLD_EDIT):
            household_ids.add(payload.household_id)
        if event.type == EventType.ASSIST and payload.resident_id:
            resident_ids.add(payload.resident_id)
    households: dict = {}
    ids = list(household_ids)
    for start in range(0, len(ids), 500):
        for pk, village_id, path in households_visible(member).filter(pk__in=ids[start : start + 500]).values_list(
            "pk", "village_id", "village__path"
        ):
            households[pk] = (village_id, path, int(path.strip("/").split("/")[0]))
    residents: dict = {}
    ids = list(resident_ids)
    for start in range(0, len(ids), 500):
        residents.update(Resident.objects.filter(pk__in=ids[start : start + 500]).values_list("pk", "household_id"))
    busy: set = set()
    ids = list(households)
    for start in range(0, len(ids), 500):
        busy.update(
            FollowUp.objects.filter(household_id__in=ids[start : start + 500], status=FollowUpStatus.OPEN)
            .values_list("household_id", flat=True).distinct()
        )
    services = {
        code: _Service(pk, province_id, order, name)
        for pk, code, province_id, order, name in Service.objects.filter(is_active=True).values_list(
            "pk", "code", "province_id", "sort_order", "name"
        )
    }
    villages = {v.pk: v for v in Unit.objects.filter(pk__in={found[0] for found in households.values()})}
    return _Context(
        member=member, device=device, households=households, residents=residents, services=services,
        villages=villages, open_follow_ups=frozenset(busy), busy_households=set(), now=timezone.now(), adapt=_Adapt(),
    )


_ASSIST_COLUMNS = (
    "id, member_id, household_id, resident_id, services, outcome, channel, occurred_at, independent, note, "
    "campaign_id, village_id"
)


def _stored(events: list, adapt: "_Adapt") -> tuple[dict, dict]:
    """The stored assists and receipts that already carry one of these ids (read inside the write
    transaction: what it sees cannot change before the commit). Assists are read as the database
    holds them (no ORM conversions: resends of 1,000 assists are the common case) and compared with
    the incoming ones in that form (`_raw_assist_key`)."""
    ids = [e.id for e in events if not isinstance(e, tuple)]
    assists, receipts = {}, {}
    parsed: dict[str, tuple] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"SELECT {_ASSIST_COLUMNS} FROM outreach_assist WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [adapt.uuid(pk) for pk in chunk],
            )
            for row in cursor.fetchall():
                services = row[4]
                if isinstance(services, str):
                    if services not in parsed:
                        parsed[services] = tuple(sorted(set(json.loads(services))))
                    services = parsed[services]
                else:
                    services = tuple(sorted(set(services)))
                moment = row[7]
                if isinstance(moment, dt.datetime) and moment.tzinfo is None:
                    moment = str(moment)  # SQLite's converter parsed the stored text: back to that text
                key = (row[1], row[2], row[3], services, row[5], row[6], moment, bool(row[8]), row[9], row[10])
                assists[adapt.to_uuid(row[0])] = (key, row[11])
            cursor.execute(
                f"SELECT id, digest, village_id FROM outreach_syncevent WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [adapt.uuid(pk) for pk in chunk],
            )
            found = {adapt.to_uuid(pk): (digest, village_id) for pk, digest, village_id in cursor.fetchall()}
            if found:
                payloads = dict(SyncEvent.objects.filter(pk__in=list(found)).values_list("pk", "payload"))
                for pk, (digest, village_id) in found.items():
                    receipts[pk] = (digest, payloads[pk], village_id)
    return assists, receipts


def _raw_assist_key(adapt: "_Adapt", member_id: int, event: AssistEvent) -> tuple:
    """An incoming assist in the form `_stored` reads stored ones (ids and time as the database keeps them)."""
    p = event.payload
    return (
        member_id, adapt.uuid(p.household_id), adapt.uuid(p.resident_id), tuple(sorted(set(p.services))), p.outcome,
        p.channel, adapt.moment(event.occurred_at), p.independent, clean_name(p.note)[: outreach_services.MAX_NOTE],
        p.campaign_id,
    )


def _stored_assist_dict(assist_id: uuid.UUID) -> dict:
    a = Assist.objects.get(pk=assist_id)
    return _content_dict(_assist_content(
        a.member_id, a.household_id, a.resident_id, a.services, a.outcome, a.channel, a.occurred_at, a.independent,
        a.note, a.campaign_id,
    ))


def _replay_answer(context: "_Context", event, stored_assists, receipts, seen, conflicts) -> dict:
    """Duplicate or conflict when the id was used before (stored, or earlier in this batch)."""
    member, device = context.member, context.device
    if event.id in stored_assists and event.id not in seen and event.type == EventType.ASSIST:
        if stored_assists[event.id][0] == _raw_assist_key(context.adapt, member.pk, event):
            return _answer(event.id, DUPLICATE)  # the common resend: no digest, no dicts
    if event.type == EventType.ASSIST:
        incoming = _incoming_assist_content(member.pk, event)
        incoming_dict, incoming_digest = _content_dict(incoming), _digest(incoming)
    else:
        record_ = _event_record(member.pk, event)
        incoming, incoming_dict, incoming_digest = record_, record_, _digest(record_)
    if event.id in seen:
        kind, earlier = seen[event.id]
        content = _incoming_assist_content(member.pk, earlier) if kind == "assist" else earlier
        if content == incoming:
            return _answer(event.id, DUPLICATE)
        # Two versions inside one batch: the first one stands, the second waits for review.
        stored_dict = _content_dict(content) if kind == "assist" else content
        village_id = _village_of_content(stored_dict)
    elif event.id in stored_assists:
        key, village_id = stored_assists[event.id]
        if event.type == EventType.ASSIST and key == _raw_assist_key(context.adapt, member.pk, event):
            return _answer(event.id, DUPLICATE)
        stored_dict = _stored_assist_dict(event.id)
    else:
        digest, payload, village_id = receipts[event.id]
        if event.type != EventType.ASSIST and digest == incoming_digest:
            return _answer(event.id, DUPLICATE)
        stored_dict = payload
    if village_id is None:
        return _answer(event.id, REJECTED, "invalid")
    conflicts.append(SyncConflict(
        event_id=event.id, type=event.type, digest=incoming_digest, member=member, device=device,
        village_id=village_id, household_id=_household_of(event), stored=stored_dict, incoming=incoming_dict,
        occurred_at=event.occurred_at,
    ))
    return _answer(event.id, CONFLICT, "conflict")


def _village_of_content(content: dict) -> int | None:
    household_id = content.get("household_id") or (content.get("payload") or {}).get("household_id")
    if household_id:
        return Household.objects.filter(pk=household_id).values_list("village_id", flat=True).first()
    follow_up_id = (content.get("payload") or {}).get("follow_up_id")
    if follow_up_id:
        return FollowUp.objects.filter(pk=follow_up_id).values_list("village_id", flat=True).first()
    return None


def _household_of(event) -> uuid.UUID | None:
    return getattr(event.payload, "household_id", None)


def _check_assist(context: _Context, event: AssistEvent) -> bool:
    """Reject what assist_record would refuse; True when the assist is plain (the hot path applies it)."""
    p = event.payload
    found = context.households.get(p.household_id)
    if found is None:
        raise _Reject("unknown_household")
    village_id, _path, province_id = found
    if p.resident_id is not None and context.residents.get(p.resident_id) != p.household_id:
        raise ValidationError(_("Nhân khẩu không thuộc hộ này."))
    for code in p.services:
        if code not in context.services or context.services[code].province_id not in (None, province_id):
            raise ValidationError(_("Có dịch vụ không có trong danh mục của địa phương."))
    if p.note:
        refuse_sensitive(p.note)
    # What other apps require of an assist (campaigns: the campaign covers the village and was running).
    assist_checks_run(village=context.village(village_id), occurred_at=event.occurred_at, campaign_id=p.campaign_id)
    if p.outcome == Outcome.DONE and p.follow_up_on is None and p.household_id in context.busy_households:
        return False  # open follow-ups of the household close
    return True


class _Row:
    """Stands in for an Assist in `assist_rows`."""

    __slots__ = ("village_id", "month", "outcome", "services", "campaign_id")

    def __init__(self, village_id, month, outcome, services, campaign_id):
        self.village_id, self.month, self.outcome = village_id, month, outcome
        self.services, self.campaign_id = services, campaign_id


_ASSIST_INSERT = (
    "INSERT INTO outreach_assist (id, member_id, household_id, resident_id, village_id, services, outcome, channel, "
    "occurred_at, independent, note, month, campaign_id, received_at) "
    "VALUES (%s, %s, %s, %s, %s, {json}, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_AUDIT_INSERT = (
    "INSERT INTO audit_auditevent (occurred_at, actor_id, action, object_type, object_id, unit_id, details) "
    "VALUES (%s, %s, %s, %s, %s, %s, {json})"
)


@dataclass
class _PlainRows:
    assists: list = field(default_factory=list)
    audits: list = field(default_factory=list)
    counted: list = field(default_factory=list)
    raises: list = field(default_factory=list)  # adoption the assists raise, in the order sent
    follow_ups: list = field(default_factory=list)  # the follow-ups they open (not yet saved)


def _plain_rows(context: _Context, plain: list[AssistEvent]) -> _PlainRows:
    """The rows of plain assists for one executemany (and their audit rows for another), what they
    count, as `assist_record` counts them (the rows of `assist_rows`), and the adoption they raise and
    the follow-ups they open, as `assist_record` does."""
    rows = _PlainRows()
    if not plain:
        return rows
    adapt, member_id = context.adapt, context.member.pk
    now = adapt.moment(timezone.now())
    services_text: dict[tuple, tuple[list, str]] = {}
    details_text: dict[tuple, str] = {}
    months: dict[tuple, str] = {}
    zone = timezone.get_current_timezone()
    for event in plain:
        p = event.payload
        village_id = context.households[p.household_id][0]
        key = tuple(p.services)
        if key not in services_text:
            codes = sorted(set(p.services), key=lambda code: (context.services[code].sort_order, code))
            services_text[key] = (codes, json.dumps(codes))
        codes, codes_json = services_text[key]
        local = event.occurred_at.astimezone(zone)  # indicators.periods.month_of, without strftime
        month = months.get((local.year, local.month))
        if month is None:
            month = months[(local.year, local.month)] = month_of(local)
        details = details_text.get((p.outcome, key))
        if details is None:
            details = details_text[(p.outcome, key)] = json.dumps({"outcome": p.outcome, "services": codes})
        rows.assists.append((
            adapt.uuid(event.id), member_id, adapt.uuid(p.household_id), adapt.uuid(p.resident_id), village_id,
            codes_json, p.outcome, p.channel, adapt.moment(event.occurred_at), p.independent,
            clean_name(p.note)[: outreach_services.MAX_NOTE], month, p.campaign_id, now,
        ))
        rows.audits.append((now, member_id, "assist.record", "outreach.assist", str(event.id), village_id, details))
        rows.counted.append(_Row(village_id, month, p.outcome, codes, p.campaign_id))
        state = _adoption_raised(p)
        if state is not None:
            service_ids = tuple(context.services[code].id for code in codes)
            rows.raises.append(AdoptionRaise(p.resident_id, p.household_id, service_ids, state, event.occurred_at))
        if _opens_follow_up(p):
            rows.follow_ups.append(FollowUp(
                village_id=village_id, household_id=p.household_id, created_from_id=event.id,
                reason=outreach_services.follow_up_reason(context.services[code].name for code in codes),
                due_on=outreach_services.follow_up_due(event.occurred_at, p.follow_up_on),
            ))
    return rows


def _plain_write(context: _Context, rows: _PlainRows) -> None:
    """Insert plain assists with one executemany (their audit rows with another) and add their counts
    to this batch's tally upsert."""
    if not rows.assists:
        return
    json_placeholder = context.adapt.json_placeholder()
    with connection.cursor() as cursor:
        cursor.executemany(_ASSIST_INSERT.format(json=json_placeholder), rows.assists)
        cursor.executemany(_AUDIT_INSERT.format(json=json_placeholder), rows.audits)
    outreach_services.activity_note(member_id=context.member.pk, village_ids={row.village_id for row in rows.counted})
    add(assist_rows(rows.counted))
    adoptions_raise_many(rows.raises)
    outreach_services.follow_ups_open(rows.follow_ups)


def _slow_assist(context: _Context, event: AssistEvent) -> None:
    p = event.payload
    household = context.objects.get(p.household_id)
    if household is None:
        household = context.objects[p.household_id] = Household.objects.select_related("village").get(pk=p.household_id)
    resident = None
    if p.resident_id:
        resident = context.objects.get(p.resident_id)
        if resident is None:
            resident = context.objects[p.resident_id] = Resident.objects.get(pk=p.resident_id)
    outreach_services.assist_record(
        assist_id=event.id, member=context.member, household=household, resident=resident,
        service_codes=p.services, outcome=p.outcome, channel=p.channel, occurred_at=event.occurred_at,
        independent=p.independent, note=p.note, follow_up_on=p.follow_up_on, campaign_id=p.campaign_id,
    )
    context.busy_households.discard(p.household_id)  # a "done": it closed the household's open follow-ups


def _apply_other(context: _Context, event) -> tuple[int, uuid.UUID | None]:
    """Apply a follow-up, an edit or a new household through the services; (village, household)."""
    member, p = context.member, event.payload
    if event.type == EventType.FOLLOW_UP_DONE:
        follow_up = (
            FollowUp.objects.filter(scope_of(member).q("village"), pk=p.follow_up_id).select_related("village").first()
        )
        if follow_up is None:
            raise _Reject("unknown_follow_up")
        if follow_up.status != FollowUpStatus.OPEN:
            raise _Reject("already_closed")
        outreach_services.follow_up_done(follow_up=follow_up, actor_id=member.pk)
        return follow_up.village_id, follow_up.household_id
    if event.type == EventType.HOUSEHOLD_EDIT:
        if p.household_id not in context.households:
            raise _Reject("unknown_household")
        household = Household.objects.select_related("village").get(pk=p.household_id)
        household_services.household_fields_edit(
            household=household, fields=dict(p.fields), occurred_at=event.occurred_at, actor_id=member.pk,
            event_id=event.id,
        )
        return household.village_id, household.pk
    return _create_household(context, event)


def _create_household(context: _Context, event: HouseholdCreateEvent) -> tuple[int, uuid.UUID]:
    member, p = context.member, event.payload
    village = Unit.objects.filter(scope_of(member).q(), pk=p.village_id, level=Level.VILLAGE).first()
    if village is None:
        raise _Reject("out_of_scope")
    details = {k: v for k, v in (("head_name", p.head_name), ("address_line", p.address_line), ("phone", p.phone)) if v}
    if details and p.consent is None:
        raise household_services.ConsentRequired(_messages()["consent_required"], code="consent_required")
    if p.consent is not None and ConsentPurpose.DIGITAL_SUPPORT not in p.consent.purposes:
        raise ValidationError(_("Để lưu thông tin cá nhân, người dân cần đồng ý mục đích hỗ trợ dịch vụ số."))
    if Household.objects.filter(pk=p.household_id).exists():
        raise _Reject("household_exists")
    with transaction.atomic():
        household = household_services.household_create(
            village=village, tags=p.tags, resident_count=p.resident_count, actor_id=member.pk,
            household_id=p.household_id,
        )
        if p.consent is not None:
            household_services.consent_record(
                household=household, given_by=p.consent.given_by, method=p.consent.method,
                purposes=p.consent.purposes, notice_version=p.consent.notice_version, given_at=event.occurred_at,
                actor_id=member.pk,
            )
        if details:
            household_services.household_fields_edit(
                household=household, fields=details, occurred_at=event.occurred_at, actor_id=member.pk,
                event_id=event.id,
            )
    context.households[household.pk] = (village.pk, village.path, int(village.path.strip("/").split("/")[0]))
    context.villages[village.pk] = village
    return village.pk, household.pk


def _paused(seconds: float) -> None:
    """The test-only pause: say so in a file beside the database (the test waits for it), then wait."""
    from django.conf import settings

    (settings.VAR_DIR / "sync-paused").write_text(str(os.getpid()))
    time.sleep(seconds)


def _device_synced(member: User, device: Device | None, pending: int | None, results: list) -> None:
    """Stamp the device's last sync and outbox count, and audit the batch (counts only), in its transaction."""
    counts = {status: 0 for status in (ACCEPTED, DUPLICATE, CONFLICT, REJECTED)}
    for result in results:
        counts[result["status"]] += 1
    if device is not None:
        changes: dict = {"last_sync_at": timezone.now()}
        if pending is not None:
            changes["pending_events"] = pending
        Device.objects.filter(pk=device.pk).update(**changes)
        for name, value in changes.items():
            setattr(device, name, value)
    if events_sent := sum(counts.values()):
        record(
            actor_id=member.pk, action="sync.batch", object_type="accounts.device",
            object_id=device.pk if device else "", details={**counts, "events": events_sent},
        )
