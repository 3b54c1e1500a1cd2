"""Every write of the scams app: reports, moderation, imports, tactics, alerts and reach. Each audited.

Audit details carry ids, codes and counts only: never a reported number, a message or a contact.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.accounts.models import User
from congdongso.audit.writer import record
from congdongso.geo.models import Level, Unit
from congdongso.scams import lookup, rules
from congdongso.scams.identifiers import Identifier
from congdongso.scams.metrics import reach_counted, report_counted
from congdongso.scams.models import (
    STATUS_RANK,
    Alert,
    Entity,
    ImportBatch,
    ListedStatus,
    Reach,
    ReachKind,
    Report,
    ReportStatus,
    Status,
    StatusAdvice,
    Tactic,
)
from congdongso.teams.models import Team

MAX_HOUSEHOLDS_PER_RECORD = 5000
MAX_ALERT_DAYS = 366


# --- entities and reports -----------------------------------------------------------------------

def _entity_for(identifier: Identifier, now: dt.datetime) -> Entity:
    """The entity under this key (created when new), followed to what it was merged into."""
    defaults = {
        "kind": identifier.kind, "value": identifier.value, "display": identifier.display,
        "bank_bin": identifier.bank_bin, "platform": identifier.platform, "domain": identifier.domain,
        "first_seen": now, "last_seen": now,
    }
    try:
        with transaction.atomic():
            entity, _created = Entity.objects.get_or_create(key=identifier.key, defaults=defaults)
    except IntegrityError:  # created by a concurrent request between the get and the create
        entity = Entity.objects.get(key=identifier.key)
    return entity.merged_into if entity.merged_into_id else entity


def report_submit(
    *, identifier: Identifier, source: str, channel: str, tactic: Tactic | None = None, details: str = "",
    contact: str = "", contact_consent: bool = False, unit: Unit | None = None, reporter: User | None = None,
) -> Report:
    """A resident's or a member's report. Contact details are kept only with explicit consent."""
    contact = contact.strip()
    if contact and not contact_consent:
        raise ValidationError(_("Cần đánh dấu đồng ý nếu bạn muốn để lại thông tin liên hệ."))
    now = timezone.now()
    with transaction.atomic():
        entity = _entity_for(identifier, now)
        report = Report.objects.create(
            entity=entity, source=source, channel=channel, tactic=tactic, details=details.strip(),
            contact=contact, contact_consent_at=now if contact else None, unit=unit, reporter=reporter,
        )
        _refresh(entity)
        report_counted(report.pk)
        record(
            actor_id=reporter.pk if reporter else None, action="scam_report.submit", object_type="scams.report",
            object_id=report.pk, unit_id=unit.pk if unit else None,
            details={"entity": entity.pk, "kind": entity.kind, "source": source, "with_contact": bool(contact)},
        )
    return report


def reports_contact_erase(*, report_ids: list[int], actor_id: int | None) -> int:
    """Erase the reporter's contact details of these reports (the reporter's erasure request)."""
    with transaction.atomic():
        ids = list(Report.objects.filter(pk__in=report_ids).exclude(contact="").values_list("pk", flat=True))
        Report.objects.filter(pk__in=ids).update(contact="", contact_consent_at=None)
        for report_id in ids:
            record(
                actor_id=actor_id, action="scam_report.contact_erase", object_type="scams.report", object_id=report_id,
            )
    return len(ids)


def report_decide(*, report: Report, confirm: bool, reason: str, actor: User) -> Report:
    reason = " ".join(reason.split())
    if len(reason) < 3:
        raise ValidationError(_("Cần ghi lý do (ít nhất 3 ký tự)."))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.PENDING:
            raise ValidationError(_("Phản ánh này đã được xử lý."))
        locked.status = ReportStatus.CONFIRMED if confirm else ReportStatus.REJECTED
        locked.decision_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
        entity = Entity.objects.get(pk=locked.entity_id)
        if confirm and entity.tactic_id is None and locked.tactic_id is not None:
            entity.tactic_id = locked.tactic_id
            entity.save(update_fields=["tactic", "updated_at"])
        _refresh(entity)
        record(
            actor_id=actor.pk, action="scam_report.confirm" if confirm else "scam_report.reject",
            object_type="scams.report", object_id=locked.pk, unit_id=locked.unit_id,
            details={"entity": entity.pk},
        )
    return locked


def entity_set_tactic(*, entity: Entity, tactic: Tactic | None, actor: User) -> Entity:
    with transaction.atomic():
        entity.tactic = tactic
        entity.save(update_fields=["tactic", "updated_at"])
        _refresh(entity)
        record(
            actor_id=actor.pk, action="scam_entity.tactic", object_type="scams.entity", object_id=entity.pk,
            details={"tactic": tactic.pk if tactic else None},
        )
    return entity


def entity_unlist(*, entity: Entity, reason: str, actor: User) -> Entity:
    """Take an entity off the imported list (the reports about it still count)."""
    if len(" ".join(reason.split())) < 3:
        raise ValidationError(_("Cần ghi lý do (ít nhất 3 ký tự)."))
    if not entity.listed_status:
        raise ValidationError(_("Đối tượng này không có trong danh sách nhập."))
    with transaction.atomic():
        entity.listed_status = ListedStatus.NOT_LISTED
        entity.save(update_fields=["listed_status", "updated_at"])
        _refresh(entity)
        record(actor_id=actor.pk, action="scam_entity.unlist", object_type="scams.entity", object_id=entity.pk)
    return entity


def entity_merge(*, source: Entity, target: Entity, actor: User) -> Entity:
    """Two entries that are one scam: the source's reports move to the target, and a lookup of the
    source answers with the target from now on."""
    source = source.merged_into if source.merged_into_id else source
    target = target.merged_into if target.merged_into_id else target
    if source.pk == target.pk:
        raise ValidationError(_("Không thể gộp một đối tượng vào chính nó."))
    with transaction.atomic():
        moved = Report.objects.filter(entity=source).update(entity=target)
        Entity.objects.filter(merged_into=source).update(merged_into=target)
        if STATUS_RANK.get(source.listed_status, 9) < STATUS_RANK.get(target.listed_status, 9):
            target.listed_status = source.listed_status
        target.first_seen = min(target.first_seen, source.first_seen)
        target.last_seen = max(target.last_seen, source.last_seen)
        target.tactic_id = target.tactic_id or source.tactic_id
        target.save(update_fields=["listed_status", "first_seen", "last_seen", "tactic", "updated_at"])
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        _refresh(target)
        record(
            actor_id=actor.pk, action="scam_entity.merge", object_type="scams.entity", object_id=source.pk,
            details={"into": target.pk, "reports_moved": moved},
        )
    return target


def _refresh(entity: Entity) -> None:
    """Recount an entity from its reports and list status; copy the answer to entities merged into it."""
    counts = dict(
        Report.objects.filter(entity=entity).values_list("status").annotate(n=Count("pk")).order_by()
    )
    seen = Report.objects.filter(entity=entity).aggregate(first=Min("created_at"), last=Max("created_at"))
    confirmed = counts.get(ReportStatus.CONFIRMED, 0)
    pending = counts.get(ReportStatus.PENDING, 0)
    if confirmed or entity.listed_status == ListedStatus.CONFIRMED:
        status = Status.CONFIRMED
    elif pending or entity.listed_status == ListedStatus.VERIFYING:
        status = Status.VERIFYING
    else:
        status = Status.NO_REPORTS
    entity.status = status
    entity.report_count = confirmed + pending
    if seen["first"] and seen["first"] < entity.first_seen:
        entity.first_seen = seen["first"]
    if seen["last"] and seen["last"] > entity.last_seen:
        entity.last_seen = seen["last"]
    entity.save(update_fields=["status", "report_count", "first_seen", "last_seen", "updated_at"])
    Entity.objects.filter(merged_into=entity).update(
        status=entity.status, report_count=entity.report_count, tactic_id=entity.tactic_id,
        first_seen=entity.first_seen, last_seen=entity.last_seen,
    )


# --- bulk import of known lists ------------------------------------------------------------------

@dataclass(frozen=True)
class ImportRow:
    line: int
    identifier: Identifier
    listed_status: str
    tactic: Tactic | None


IMPORT_BATCH = 1000


def entities_import(*, rows: list[ImportRow], source_name: str, actor: User) -> ImportBatch:
    """Write a checked list (imports.check_rows): all rows or none. Rows repeating a key already in
    the file are skipped; rows of a known entity update it (never lowering its status)."""
    now = timezone.now()
    unique: dict[str, ImportRow] = {}
    for row in rows:
        unique.setdefault(row.identifier.key, row)
    with transaction.atomic():
        existing = _existing_entities(list(unique))
        new = [
            Entity(
                kind=row.identifier.kind, key=key, value=row.identifier.value, display=row.identifier.display,
                bank_bin=row.identifier.bank_bin, platform=row.identifier.platform, domain=row.identifier.domain,
                status=row.listed_status, listed_status=row.listed_status, tactic=row.tactic,
                first_seen=now, last_seen=now,
            )
            for key, row in unique.items()
            if key not in existing
        ]
        Entity.objects.bulk_create(new, batch_size=IMPORT_BATCH)
        changed = []
        for key, entity in existing.items():
            row = unique[key]
            if entity.merged_into_id:
                entity = Entity.objects.get(pk=entity.merged_into_id)
            if STATUS_RANK[row.listed_status] < STATUS_RANK.get(entity.listed_status, 9):
                entity.listed_status = row.listed_status
            entity.tactic_id = entity.tactic_id or (row.tactic.pk if row.tactic else None)
            entity.last_seen = now
            changed.append(entity)
        Entity.objects.bulk_update(changed, ["listed_status", "tactic", "last_seen"], batch_size=IMPORT_BATCH)
        for entity in changed:
            _refresh(entity)
        batch = ImportBatch.objects.create(
            imported_by=actor, source_name=source_name[:200], rows=len(rows), created=len(new),
            updated=len(changed), duplicates=len(rows) - len(unique),
        )
        record(
            actor_id=actor.pk, action="scam_list.import", object_type="scams.importbatch", object_id=batch.pk,
            details={"rows": batch.rows, "created": batch.created, "updated": batch.updated, "duplicates": batch.duplicates},
        )
    return batch


def _existing_entities(keys: list[str]) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    for start in range(0, len(keys), 500):
        for entity in Entity.objects.filter(key__in=keys[start : start + 500]):
            found[entity.key] = entity
    return found


# --- the tactic list and status advice ----------------------------------------------------------

TACTIC_FIELDS = ("code", "name", "explanation", "advice", "hotlines", "keywords", "exclusions", "is_active")


def _check_tactic(values: dict) -> None:
    problems = rules.rule_errors(values.get("keywords", "")) + rules.rule_errors(values.get("exclusions", ""))
    if problems:
        raise ValidationError(problems)


def tactic_create(*, actor: User, **values) -> Tactic:
    unknown = set(values) - set(TACTIC_FIELDS)
    if unknown:
        raise TypeError(f"not tactic fields: {sorted(unknown)}")
    _check_tactic(values)
    if Tactic.objects.filter(code=values.get("code", "")).exists():
        raise ValidationError(_("Mã thủ đoạn này đã được dùng."))
    with transaction.atomic():
        tactic = Tactic.objects.create(updated_by=actor, **values)
        record(actor_id=actor.pk, action="scam_tactic.create", object_type="scams.tactic", object_id=tactic.pk)
    return tactic


def tactic_update(*, tactic: Tactic, actor: User, **changes) -> Tactic:
    unknown = set(changes) - set(TACTIC_FIELDS)
    if unknown:
        raise TypeError(f"not tactic fields: {sorted(unknown)}")
    _check_tactic({"keywords": changes.get("keywords", tactic.keywords), "exclusions": changes.get("exclusions", tactic.exclusions)})
    if "code" in changes and Tactic.objects.filter(code=changes["code"]).exclude(pk=tactic.pk).exists():
        raise ValidationError(_("Mã thủ đoạn này đã được dùng."))
    changed = [name for name, value in changes.items() if getattr(tactic, name) != value]
    with transaction.atomic():
        for name in changed:
            setattr(tactic, name, changes[name])
        if changed:
            tactic.updated_by = actor
            tactic.save(update_fields=[*changed, "updated_by", "updated_at"])
            record(
                actor_id=actor.pk, action="scam_tactic.update", object_type="scams.tactic", object_id=tactic.pk,
                details={"fields": changed},
            )
    return tactic


def status_advice_set(*, status: str, advice: str, actor: User) -> StatusAdvice:
    with transaction.atomic():
        row, _created = StatusAdvice.objects.update_or_create(status=status, defaults={"advice": advice.strip()})
        record(actor_id=actor.pk, action="scam_advice.update", object_type="scams.statusadvice", object_id=row.pk)
        transaction.on_commit(lookup.forget_status_advice)
    return row


# --- alerts and their reach ---------------------------------------------------------------------

def alert_publish(
    *, unit: Unit, title: str, message: str, valid_from: dt.date, valid_until: dt.date,
    tactic: Tactic | None = None, actor: User,
) -> Alert:
    if unit.level not in (Level.PROVINCE, Level.COMMUNE) or not unit.is_current:
        raise ValidationError(_("Cảnh báo chỉ được phát hành ở cấp tỉnh hoặc xã/phường đang hoạt động."))
    title, message = " ".join(title.split()), message.strip()
    if not title:
        raise ValidationError(_("Cần nhập tiêu đề cảnh báo."))
    if not message:
        raise ValidationError(_("Cần nhập nội dung cần nói với người dân."))
    if valid_until < valid_from:
        raise ValidationError(_("Ngày hết hiệu lực không được trước ngày bắt đầu."))
    if (valid_until - valid_from).days > MAX_ALERT_DAYS:
        raise ValidationError(_("Cảnh báo có hiệu lực tối đa một năm."))
    with transaction.atomic():
        alert = Alert.objects.create(
            unit=unit, title=title, message=message, valid_from=valid_from, valid_until=valid_until,
            tactic=tactic, published_by=actor,
        )
        record(
            actor_id=actor.pk, action="scam_alert.publish", object_type="scams.alert", object_id=alert.pk,
            unit_id=unit.pk, details={"tactic": tactic.pk if tactic else None, "days": (valid_until - valid_from).days + 1},
        )
    return alert


def alert_withdraw(*, alert: Alert, actor: User) -> Alert:
    if alert.withdrawn_at is not None:
        raise ValidationError(_("Cảnh báo này đã được thu hồi."))
    with transaction.atomic():
        alert.withdrawn_at = timezone.now()
        alert.save(update_fields=["withdrawn_at"])
        record(
            actor_id=actor.pk, action="scam_alert.withdraw", object_type="scams.alert", object_id=alert.pk,
            unit_id=alert.unit_id,
        )
    return alert


def reach_record(*, alert: Alert, team: Team, kind: str, households: int = 0, actor: User) -> Reach:
    """A member's note that the alert went out from this team: to its Zalo group, or to N households."""
    if kind not in ReachKind.values:
        raise ValidationError(_("Hình thức lan tỏa không hợp lệ."))
    if kind == ReachKind.TOLD_HOUSEHOLDS and not 1 <= households <= MAX_HOUSEHOLDS_PER_RECORD:
        raise ValidationError(
            _("Số hộ phải từ 1 đến %(limit)s.") % {"limit": MAX_HOUSEHOLDS_PER_RECORD}
        )
    if kind == ReachKind.SHARED_GROUP:
        households = 0
    if alert.unit_id not in _ids_on_path(team.unit.path):
        raise ValidationError(_("Cảnh báo này không dành cho tổ của bạn."))
    if alert.withdrawn_at is not None or not alert.valid_from <= timezone.localdate() <= alert.valid_until:
        raise ValidationError(_("Cảnh báo này không còn hiệu lực."))
    with transaction.atomic():
        reach = Reach.objects.create(
            alert=alert, team=team, unit_id=team.unit_id, kind=kind, households=households, recorded_by=actor
        )
        reach_counted(reach.pk)
        record(
            actor_id=actor.pk, action="scam_alert.reach", object_type="scams.alert", object_id=alert.pk,
            unit_id=team.unit_id, details={"team": team.pk, "kind": kind, "households": households},
        )
    return reach


def _ids_on_path(path: str) -> set[int]:
    return {int(part) for part in path.strip("/").split("/") if part}

