"""Erasure: every trace of a request's subject is anonymised; counts stay, so tallies stay true.

Structured personal columns are blanked by the services of the apps that own them (households'
consent withdrawal / anonymisation, which also runs every registered anonymiser: visit notes, sync
receipts, business accounts, the contact of feedback tied to the household; feedback's and scams'
contact erasure for what the person sent from the public pages). What no service owns is the free
text that *mentions* the person: a follow-up's reason, an officer's note on a report, the text of a
report, a scam report's details, a stored sync payload, the audit trail's details and the Django
admin's change log. Those rows are kept (they are counted and they mean something) with the
person's name and phone replaced (redaction.py). The audit trail is append-only for everything
else; an erasure is the one writer allowed to blank a name in it, because the law asks for it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Model, Q, QuerySet

from congdongso.audit.models import AuditEvent
from congdongso.feedback import services as feedback_services
from congdongso.feedback.models import Report as FeedbackReport
from congdongso.feedback.models import ReportNote
from congdongso.households.models import HouseholdFieldVersion
from congdongso.households.services import consent_withdraw, household_anonymise, resident_anonymise
from congdongso.outreach.models import Assist, FollowUp, SyncConflict, SyncEvent
from congdongso.privacy.exports import _feedback_reports, scam_reports_of, subject_phones, whole_household
from congdongso.privacy.models import DataSubjectRequest
from congdongso.privacy.redaction import Needles
from congdongso.privacy.selectors import subject_needles
from congdongso.scams import services as scams_services
from congdongso.scams.models import Report as ScamReport


@dataclass
class ErasureCounts:
    households: int = 0
    residents: int = 0
    feedback_contacts: int = 0
    scam_contacts: int = 0
    texts: dict[str, int] = field(default_factory=dict)

    def as_details(self) -> dict[str, int]:
        """Counts only, for the audit trail."""
        return {
            "households": self.households, "residents": self.residents,
            "feedback_contacts": self.feedback_contacts, "scam_contacts": self.scam_contacts,
            "texts": sum(self.texts.values()),
        }


def _redact_columns(queryset: QuerySet, columns: list[str], needles: Needles, *, json: bool = False) -> int:
    """Rewrite the given text (or JSON) columns of these rows with the needles blanked; rows that do
    not mention the subject are left untouched. `update()` on purpose: no save() side effects."""
    changed = 0
    model: type[Model] = queryset.model
    for row in queryset.values("pk", *columns):
        new = {
            column: (needles.redact_json(row[column]) if json else needles.redact(row[column] or ""))
            for column in columns
        }
        new = {column: value for column, value in new.items() if value != (row[column] if json else row[column] or "")}
        if new:
            model.objects.filter(pk=row["pk"]).update(**new)
            changed += 1
    return changed


def subject_erase(*, request: DataSubjectRequest, actor_id: int | None, at: dt.datetime) -> ErasureCounts:
    """Anonymise everything held about the request's subject. Runs inside the caller's transaction."""
    counts = ErasureCounts()
    whole = whole_household(request)
    household = request.household
    # Read what identifies the person, and where it is, before anything is blanked.
    needles = subject_needles(request, whole_household=whole)
    phones = subject_phones(request)
    feedback = [r.pk for r in _feedback_reports(request, phones)]
    scams = [r.pk for r in scam_reports_of(needles)]
    resident_ids = (
        list(household.residents.values_list("pk", flat=True)) if household is not None and whole
        else [request.resident_id] if request.resident_id else []
    )

    with transaction.atomic():
        if household is not None:
            if whole:
                if household.consents.filter(withdrawn_at__isnull=True).exists():
                    consent_withdraw(household=household, actor_id=actor_id)
                else:
                    household_anonymise(household=household, at=at)
                counts.households = 1
                counts.residents = len(resident_ids)
            elif request.resident is not None:
                resident_anonymise(resident=request.resident, actor_id=actor_id)
                counts.residents = 1
        counts.feedback_contacts = feedback_services.reports_contact_erase(report_ids=feedback, actor_id=actor_id)
        counts.scam_contacts = scams_services.reports_contact_erase(report_ids=scams, actor_id=actor_id)
        counts.texts = _redact_mentions(request, needles, feedback=feedback, scams=scams, resident_ids=resident_ids)
        _requests_erase(request, needles, phones, whole=whole, at=at)
    return counts


def _redact_mentions(
    request: DataSubjectRequest, needles: Needles, *, feedback: list[int], scams: list[int], resident_ids: list
) -> dict[str, int]:
    household_id = request.household_id
    texts: dict[str, int] = {}
    if not needles:
        return texts
    texts["feedback"] = _redact_columns(FeedbackReport.objects.filter(pk__in=feedback), ["text", "rejection_reason"], needles)
    texts["feedback_notes"] = _redact_columns(ReportNote.objects.filter(report_id__in=feedback), ["text"], needles)
    texts["scam_reports"] = _redact_columns(ScamReport.objects.filter(pk__in=scams), ["details", "decision_reason"], needles)
    of_household = Q(household_id=household_id) if household_id else Q(pk__in=[])
    follow_ups = FollowUp.objects.filter(
        of_household | Q(pk__in=FeedbackReport.objects.filter(pk__in=feedback).values("follow_up_id"))
    )
    texts["follow_ups"] = _redact_columns(follow_ups, ["reason"], needles)
    if household_id:
        texts["assists"] = _redact_columns(Assist.objects.filter(household_id=household_id), ["note"], needles)
        texts["versions"] = _redact_columns(
            HouseholdFieldVersion.objects.filter(household_id=household_id), ["value"], needles, json=True
        )
        texts["sync"] = _redact_columns(SyncEvent.objects.filter(household_id=household_id), ["payload"], needles, json=True)
        texts["conflicts"] = _redact_columns(
            SyncConflict.objects.filter(household_id=household_id), ["stored", "incoming"], needles, json=True
        )
    object_ids = [str(pk) for pk in [household_id, *resident_ids, *feedback, *scams, request.pk] if pk]
    texts["audit"] = _redact_columns(AuditEvent.objects.filter(object_id__in=object_ids), ["details"], needles, json=True)
    texts["admin_log"] = _redact_columns(
        LogEntry.objects.filter(object_id__in=object_ids), ["object_repr", "change_message"], needles
    )
    return texts


def _requests_erase(request: DataSubjectRequest, needles: Needles, phones: list[str], *, whole: bool, at: dt.datetime) -> None:
    """The subject's own requests (this one and any other) keep their kind and dates, not who asked."""
    same_person = Q(pk=request.pk) | Q(subject_phone__in=phones)
    if whole and request.household_id:
        same_person |= Q(household_id=request.household_id)
    requests = DataSubjectRequest.objects.filter(same_person)
    _redact_columns(requests, ["details", "outcome"], needles)
    requests.update(subject_name="", subject_phone="", subject_erased_at=at)
    request.subject_name = request.subject_phone = ""
    request.subject_erased_at = at
