"""Sync conflicts: reading them in a commune officer's scope, and keeping one version (audited).

Keeping the stored version changes nothing but the conflict's status. Keeping the version the phone
sent applies it through the same services the sync uses: an assist is rewritten (its tallies moved
from the old content to the new, and the new content's effects applied: adoption goes up, follow-ups
open or close; adoption raised by the old content stays, as help is never unlearned), an edit is
applied field by field as a new version, a follow-up is marked done.
"""

import datetime as dt
import uuid
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.accounts.models import Role, User
from congdongso.accounts.selectors import scope_of
from congdongso.audit.writer import record
from congdongso.catalog.services import adoptions_raise
from congdongso.common.text import clean_name
from congdongso.households import services as household_services
from congdongso.households.models import PERSONAL_FIELDS, TAG_FIELDS, Household, Resident
from congdongso.indicators.periods import month_of
from congdongso.indicators.writer import add, batch
from congdongso.outreach import services as outreach_services
from congdongso.outreach.metrics import assist_rows
from congdongso.outreach.models import (
    Assist, ConflictStatus, EventType, FollowUp, FollowUpStatus, Outcome, SyncConflict, SyncEvent,
)
from congdongso.outreach.registry import assist_checks_run


def conflicts_visible(user: User) -> QuerySet[SyncConflict]:
    """Conflicts in the villages of the units the user manages (commune officers and above)."""
    scope = scope_of(user)
    conflicts = SyncConflict.objects.select_related("village", "member")
    if Role.NATIONAL_ADMIN in scope.roles:
        return conflicts
    if not scope.manager_paths:
        return conflicts.none()
    return conflicts.filter(reduce(or_, (Q(village__path__prefix=path) for path in scope.manager_paths)))


def conflict_in_scope_or_404(user: User, conflict_id: int) -> SyncConflict:
    try:
        return conflicts_visible(user).get(pk=conflict_id)
    except (SyncConflict.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def conflict_resolve(*, conflict: SyncConflict, keep: str, actor: User) -> SyncConflict:
    """Keep the stored version or the incoming one (the caller checks the actor manages its village)."""
    if keep not in (ConflictStatus.KEPT_STORED, ConflictStatus.KEPT_INCOMING):
        raise ValidationError(_("Lựa chọn không hợp lệ."))
    with transaction.atomic():
        locked = SyncConflict.objects.select_for_update().get(pk=conflict.pk)
        if locked.status != ConflictStatus.OPEN:
            raise ValidationError(_("Xung đột này đã được xử lý."))
        if keep == ConflictStatus.KEPT_INCOMING:
            _apply_incoming(locked, actor)
        SyncConflict.objects.filter(pk=locked.pk).update(status=keep, resolved_by=actor, resolved_at=timezone.now())
        record(
            actor_id=actor.pk, action=f"sync_conflict.{keep}", object_type="outreach.syncconflict",
            object_id=locked.pk, unit_id=locked.village_id, details={"event": str(locked.event_id), "type": locked.type},
        )
    conflict.refresh_from_db()
    return conflict


def _apply_incoming(conflict: SyncConflict, actor: User) -> None:
    incoming = conflict.incoming
    if conflict.type == EventType.ASSIST:
        if not Assist.objects.filter(pk=conflict.event_id).exists():
            raise ValidationError(_("Bản đã lưu không phải là một lượt hỗ trợ: chỉ có thể giữ bản đã lưu."))
        _assist_rewrite(conflict.event_id, incoming, actor)
        return
    payload = incoming.get("payload") or {}
    occurred_at = dt.datetime.fromisoformat(incoming["occurred_at"])
    if conflict.type == EventType.FOLLOW_UP_DONE:
        follow_up = _in_reach(actor, FollowUp.objects.filter(pk=payload.get("follow_up_id")), "village")
        if follow_up.status == FollowUpStatus.OPEN:
            outreach_services.follow_up_done(follow_up=follow_up, actor_id=actor.pk)
        return
    household = _in_reach(actor, Household.objects.filter(pk=payload.get("household_id")), "village")
    if conflict.type == EventType.HOUSEHOLD_EDIT:
        fields = payload.get("fields") or {}
    else:
        tags = set(payload.get("tags") or ())
        fields = {field: tag in tags for tag, field in TAG_FIELDS.items()}
        fields["resident_count"] = payload.get("resident_count", household.resident_count)
        if household.has_consent:
            fields.update({f: payload[f] for f in PERSONAL_FIELDS if payload.get(f)})
    household_services.household_fields_edit(
        household=household, fields=fields, occurred_at=occurred_at, actor_id=actor.pk,
    )


def _in_reach(actor: User, queryset, unit_field: str):
    found = queryset.filter(scope_of(actor).q(unit_field)).first()
    if found is None:
        raise ValidationError(_("Không tìm thấy đối tượng của bản mới gửi trong phạm vi của bạn."))
    return found


def _assist_rewrite(assist_id: uuid.UUID, incoming: dict, actor: User) -> None:
    """The stored assist takes the incoming content; tallies move with it and the new content's
    effects apply as in assist_record."""
    household = _in_reach(
        actor, Household.objects.select_related("village").filter(pk=incoming["household_id"]), "village"
    )
    resident = None
    if incoming.get("resident_id"):
        resident = Resident.objects.filter(pk=incoming["resident_id"], household=household).first()
        if resident is None:
            raise ValidationError(_("Nhân khẩu không thuộc hộ này."))
    occurred_at = dt.datetime.fromisoformat(incoming["occurred_at"])
    services = outreach_services._services_for(household, list(incoming["services"]))
    outreach_services._check_assist(
        household, resident, incoming["outcome"], incoming["channel"], occurred_at, incoming.get("note", "")
    )
    assist_checks_run(village=household.village, occurred_at=occurred_at, campaign_id=incoming.get("campaign_id"))
    with transaction.atomic(), batch():
        assist = Assist.objects.select_for_update().get(pk=assist_id)
        add((unit, period, metric, -value) for unit, period, metric, value in assist_rows([assist]))
        assist.member_id = incoming["member"]
        assist.household, assist.resident, assist.village_id = household, resident, household.village_id
        assist.services = [s.code for s in services]
        assist.outcome, assist.channel = incoming["outcome"], incoming["channel"]
        assist.occurred_at, assist.month = occurred_at, month_of(occurred_at)
        assist.independent = bool(incoming.get("independent"))
        assist.note = clean_name(incoming.get("note", ""))[: outreach_services.MAX_NOTE]
        assist.campaign_id = incoming.get("campaign_id")
        assist.save()
        add(assist_rows([assist]))
        state = outreach_services.adoption_raised_to(assist.outcome, assist.independent) if resident is not None else None
        if state is not None:
            adoptions_raise(resident=resident, services=services, state=state, at=occurred_at)
        if assist.outcome == Outcome.NEEDS_FOLLOW_UP:
            outreach_services.follow_up_open(
                village_id=household.village_id, household=household, created_from=assist,
                reason=outreach_services.follow_up_reason(s.name for s in services),
                due_on=outreach_services.follow_up_due(occurred_at),
            )
        elif assist.outcome == Outcome.DONE:
            outreach_services.follow_ups_close(household=household, closed_by=assist)


# --- personal details in kept payloads ------------------------------------------------------------------

def sync_payloads_erase(household_id: uuid.UUID) -> int:
    """Anonymiser registered with households: names, phones and notes kept in sync receipts and
    conflicts about a household are blanked when its consent is withdrawn."""
    changed = 0
    for receipt in SyncEvent.objects.filter(household_id=household_id):
        if _blank(receipt.payload):
            SyncEvent.objects.filter(pk=receipt.pk).update(payload=receipt.payload)
            changed += 1
    for conflict in SyncConflict.objects.filter(household_id=household_id):
        stored, incoming = _blank(conflict.stored), _blank(conflict.incoming)
        if stored or incoming:
            SyncConflict.objects.filter(pk=conflict.pk).update(stored=conflict.stored, incoming=conflict.incoming)
            changed += 1
    return changed


def _blank(content) -> bool:
    """Blank personal values wherever they sit in a stored event (in place); True if any was blanked."""
    found = False
    if isinstance(content, dict):
        for key, value in content.items():
            if key in (*PERSONAL_FIELDS, "note", "given_by") and isinstance(value, str) and value:
                content[key] = ""
                found = True
            elif isinstance(value, dict | list):
                found = _blank(value) or found
    elif isinstance(content, list):
        for item in content:
            found = _blank(item) or found
    return found
