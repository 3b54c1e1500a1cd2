"""Everything held about a request's subject, as JSON and as an Excel workbook (one sheet a kind).

What is read: the household and its residents (only the subject's own resident row when the request
is one resident's and not the head's), consent records, field versions, adoption of services, the
business account, assists and follow-ups, feedback the person sent with their phone, scam reports
whose contact carries their phone, other requests of theirs, and the audit trail's references to
them (when, what; never who looked, which is the officers' personal data).
"""

import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from congdongso.audit.models import AuditEvent
from congdongso.catalog.models import Adoption, MerchantAccount
from congdongso.common.text import fold
from congdongso.feedback.models import Report as FeedbackReport
from congdongso.households.models import ConsentRecord, Household, HouseholdFieldVersion, Resident
from congdongso.outreach.models import Assist, FollowUp
from congdongso.privacy.models import DataSubjectRequest
from congdongso.privacy.redaction import Needles
from congdongso.scams.models import Report as ScamReport

Rows = list[dict]


def whole_household(request: DataSubjectRequest) -> bool:
    """Does the request speak for the whole household? Yes unless it names one resident who is not
    the head (another name and another phone than the household's) while others are listed too."""
    household = request.household
    if household is None:
        return False
    resident = request.resident
    if resident is None:
        return True
    if fold(resident.display_name) and fold(resident.display_name) == fold(household.head_name):
        return True
    if resident.phone and resident.phone == household.phone:
        return True
    return not household.residents.exclude(pk=resident.pk).exists()


def _residents(request: DataSubjectRequest) -> list[Resident]:
    if request.household is None:
        return [request.resident] if request.resident else []
    if whole_household(request):
        return list(request.household.residents.order_by("created_at", "id"))
    return [request.resident]


def _feedback_reports(request: DataSubjectRequest, phones: Iterable[str]) -> list[FeedbackReport]:
    matching = Q(contact_phone__in=[p for p in phones if p])
    if request.household_id and whole_household(request):
        matching |= Q(household_id=request.household_id)
    return list(FeedbackReport.objects.filter(matching).order_by("created_at", "id"))


def scam_reports_of(needles: Needles) -> list[ScamReport]:
    """Scam reports whose reporter's contact carries one of the subject's phones."""
    if not needles.phones:
        return []
    phone_needles = Needles(names=(), phones=needles.phones)
    narrow = Q()
    for phone in needles.phones:
        narrow |= Q(contact__contains=phone[-3:])
    candidates = ScamReport.objects.exclude(contact="").filter(narrow).select_related("entity").order_by("id")
    return [report for report in candidates if phone_needles.found_in(report.contact)]


def subject_phones(request: DataSubjectRequest) -> list[str]:
    phones = {request.subject_phone}
    if request.household is not None and whole_household(request):
        phones.add(request.household.phone)
    phones.update(r.phone for r in _residents(request))
    return sorted(p for p in phones if p)


def subject_data(request: DataSubjectRequest) -> dict[str, Rows]:
    household: Household | None = request.household
    whole = whole_household(request)
    residents = _residents(request)
    resident_ids = [r.pk for r in residents]
    phones = subject_phones(request)
    needles = Needles.of(names=[], phones=phones)
    data: dict[str, Rows] = {"request": [_request_row(request)]}
    if household is not None:
        row = {
            "id": household.pk, "village": household.village.name, "resident_count": household.resident_count,
            "tags": sorted(household.tags), "has_consent": household.has_consent, "created_at": household.created_at,
        }
        if whole:
            row.update(head_name=household.head_name, address_line=household.address_line, phone=household.phone)
        data["household"] = [row]
        if whole:
            data["consents"] = [
                {
                    "given_by": c.given_by, "method": c.method, "purposes": c.purposes,
                    "notice_version": c.notice_version, "given_at": c.given_at, "withdrawn_at": c.withdrawn_at,
                }
                for c in ConsentRecord.objects.filter(household=household).order_by("given_at", "id")
            ]
            data["field_versions"] = [
                {"field": v.field, "value": v.value, "occurred_at": v.occurred_at}
                for v in HouseholdFieldVersion.objects.filter(household=household).order_by("occurred_at", "id")
            ]
            account = MerchantAccount.objects.filter(household=household).first()
            data["merchant_account"] = [
                {"bank": account.bank, "account_number": account.account_number,
                 "account_name": account.account_name, "shop_name": account.shop_name}
            ] if account else []
    data["residents"] = [
        {
            "id": r.pk, "display_name": r.display_name, "birth_year": r.birth_year, "sex": r.sex, "phone": r.phone,
            "device": r.device, "skills": r.skills, "proficient": r.proficient,
        }
        for r in residents
    ]
    data["adoption"] = [
        {"resident": a.resident_id, "service": a.service.code, "service_name": a.service.name, "state": a.state,
         "first_assisted_at": a.first_assisted_at, "independent_since": a.independent_since}
        for a in Adoption.objects.filter(resident_id__in=resident_ids).select_related("service").order_by("id")
    ]
    assists = Assist.objects.none()
    if household is not None:
        assists = Assist.objects.filter(household=household) if whole else Assist.objects.filter(resident_id__in=resident_ids)
    data["assists"] = [
        {"id": a.pk, "occurred_at": a.occurred_at, "services": a.services, "outcome": a.outcome,
         "channel": a.channel, "independent": a.independent, "note": a.note}
        for a in assists.order_by("occurred_at", "id")
    ]
    data["follow_ups"] = [
        {"id": f.pk, "reason": f.reason, "due_on": f.due_on, "status": f.status, "closed_at": f.closed_at}
        for f in (FollowUp.objects.filter(household=household).order_by("due_on", "id") if household and whole else [])
    ]
    feedback = _feedback_reports(request, phones)
    data["feedback_reports"] = [
        {"code": r.code, "category": r.category, "created_at": r.created_at, "status": r.status, "text": r.text,
         "contact_name": r.contact_name, "contact_phone": r.contact_phone}
        for r in feedback
    ]
    scams = scam_reports_of(needles)
    data["scam_reports"] = [
        {"id": r.pk, "created_at": r.created_at, "reported": r.entity.display, "channel": r.channel,
         "details": r.details, "contact": r.contact, "status": r.status}
        for r in scams
    ]
    others = DataSubjectRequest.objects.exclude(pk=request.pk).filter(
        Q(subject_phone__in=phones) | (Q(household_id=request.household_id) if household and whole else Q(pk__in=[]))
    )
    data["other_requests"] = [_request_row(r) for r in others.order_by("received_on", "id")]
    object_ids = [str(pk) for pk in [household.pk if household else None, *resident_ids] if pk]
    object_ids += [str(r.pk) for r in feedback] + [str(r.pk) for r in scams] + [str(request.pk)]
    data["audit"] = [
        {"occurred_at": e.occurred_at, "action": e.action, "object_type": e.object_type, "object_id": e.object_id}
        for e in AuditEvent.objects.filter(object_id__in=object_ids).order_by("occurred_at", "id")
    ]
    return data


def _request_row(request: DataSubjectRequest) -> dict:
    return {
        "code": request.code, "kind": request.kind, "channel": request.channel, "status": request.status,
        "received_on": request.received_on, "subject_name": request.subject_name,
        "subject_phone": request.subject_phone, "details": request.details,
    }


def _plain(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def as_json(data: dict[str, Rows]) -> bytes:
    plain = {section: [{k: _plain(v) for k, v in row.items()} for row in rows] for section, rows in data.items()}
    return json.dumps(plain, ensure_ascii=False, indent=2).encode()


def _sheet_titles() -> dict[str, str]:
    return {
        "request": _("Yêu cầu"), "household": _("Hộ gia đình"), "consents": _("Đồng ý"),
        "field_versions": _("Lịch sử sửa"), "merchant_account": _("Tài khoản nhận tiền"),
        "residents": _("Nhân khẩu"), "adoption": _("Dịch vụ đã dùng"), "assists": _("Lượt hỗ trợ"),
        "follow_ups": _("Hẹn quay lại"), "feedback_reports": _("Phản ánh"), "scam_reports": _("Báo lừa đảo"),
        "other_requests": _("Yêu cầu khác"), "audit": _("Nhật ký"),
    }


def _cell(sheet, value):
    value = _plain(value)
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def as_xlsx(data: dict[str, Rows]) -> bytes:
    workbook = Workbook(write_only=True)
    titles = _sheet_titles()
    for section, rows in data.items():
        sheet = workbook.create_sheet(title=titles.get(section, section)[:31])
        columns = list(rows[0]) if rows else []
        sheet.append(columns or [_("Không có dữ liệu")])
        for row in rows:
            sheet.append([_cell(sheet, row.get(column)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts(data: dict[str, Rows]) -> dict[str, int]:
    """Rows per section: what the audit of an export records (never the content)."""
    return {section: len(rows) for section, rows in data.items()}
