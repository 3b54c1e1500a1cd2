"""Every write of data-subject requests. Each step is atomic and audited (ids, kinds, counts only).

The life of a request:

    (public form) VERIFYING --verify--> RECEIVED --acknowledge--> ACKNOWLEDGED --complete--> COMPLETED
    (officer)                           RECEIVED                                  \\--refuse--> REFUSED

Verification without an account. The platform cannot send an SMS and must never ask a resident for
an e-ID password or OTP, so a request from the public form only says "someone who gives this name
and this phone asks ...". It waits as "chờ xác minh" until a commune officer has checked that the
person is who they say: by calling the phone number given (the person answering confirms the
request and the code shown to them when they sent it), or by meeting them at the commune office or
at home with the village team. Only then is it linked to a household and acted on. A request taken
in person by an officer is verified when it is recorded. The deadlines run from receipt either way,
so the officer's queue shows unverified requests first.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.audit.writer import record
from congdongso.common.phones import normalise_phone
from congdongso.common.sensitive import refuse_sensitive
from congdongso.common.text import clean_name
from congdongso.feedback.codes import new_code
from congdongso.geo.models import Level, Unit
from congdongso.households.models import Household, Resident
from congdongso.households.services import consent_withdraw
from congdongso.privacy import deadlines
from congdongso.privacy.erasure import ErasureCounts, subject_erase
from congdongso.privacy.models import (
    FINAL_STATUSES,
    ChannelKind,
    DataSubjectRequest,
    Kind,
    Restriction,
    Status,
)

NAME_MAX = 150
DETAILS_MAX = 1000
OUTCOME_MAX = 1000
CODE_ATTEMPTS = 5
# Kinds whose completion changes what is held (and so needs the household known).
NEEDS_HOUSEHOLD = (Kind.RESTRICT, Kind.OBJECT, Kind.WITHDRAW)


def _audit(request: DataSubjectRequest, step: str, actor_id: int | None, **details) -> None:
    record(
        actor_id=actor_id, action=f"privacy.{step}", object_type="privacy.request", object_id=request.pk,
        unit_id=request.commune_id, details={"kind": request.kind, "status": request.status, **details},
    )


def _check_commune(commune: Unit) -> None:
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise ValidationError(_("Hãy chọn một xã/phường đang hoạt động."))


def _check_subject(household: Household | None, resident: Resident | None, commune: Unit) -> None:
    if household is not None and not household.village.path.startswith(commune.path):
        raise ValidationError(_("Hộ này không thuộc xã/phường tiếp nhận yêu cầu."))
    if resident is not None and (household is None or resident.household_id != household.pk):
        raise ValidationError(_("Nhân khẩu này không thuộc hộ đã chọn."))


def check_name(name: str) -> str:
    name = clean_name(name)
    if not name:
        raise ValidationError(_("Hãy nhập họ tên."))
    if len(name) > NAME_MAX:
        raise ValidationError(_("Họ tên tối đa %(max)s ký tự.") % {"max": NAME_MAX})
    refuse_sensitive(name)
    return name


def check_phone(phone: str, *, required: bool) -> str:
    if not (phone or "").strip():
        if required:
            raise ValidationError(_("Hãy nhập số điện thoại để cán bộ xã gọi lại xác minh."))
        return ""
    normal = normalise_phone(phone)
    if normal is None:
        raise ValidationError(_("Số điện thoại không hợp lệ (ví dụ 0912 345 678)."))
    return normal


def check_details(details: str) -> str:
    text = "\n".join(clean_name(line) for line in (details or "").splitlines()).strip()
    if len(text) > DETAILS_MAX:
        raise ValidationError(_("Nội dung tối đa %(max)s ký tự.") % {"max": DETAILS_MAX})
    refuse_sensitive(text)
    return text


def _create(**fields) -> DataSubjectRequest:
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return DataSubjectRequest.objects.create(code=new_code(), **fields)
        except IntegrityError:
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _deadlines(received_on: dt.date, processor_involved: bool) -> dict:
    return {
        "received_on": received_on,
        "acknowledge_by": deadlines.acknowledge_by(received_on),
        "complete_by": deadlines.complete_by(received_on, processor_involved=processor_involved),
    }


def request_record(
    *, kind: str, commune: Unit, actor_id: int | None, household: Household | None = None,
    resident: Resident | None = None, subject_name: str = "", subject_phone: str = "", details: str = "",
    processor_involved: bool = False, received_on: dt.date | None = None,
) -> DataSubjectRequest:
    """A request the person made to a commune officer (in person or by phone): verified as recorded.
    The caller checks that the officer manages the commune and may see the household."""
    if kind not in Kind.values:
        raise ValidationError(_("Loại yêu cầu không hợp lệ."))
    _check_commune(commune)
    _check_subject(household, resident, commune)
    name = check_name(subject_name) if clean_name(subject_name) else ""
    phone = check_phone(subject_phone, required=False)
    if household is None and not (name or phone):
        raise ValidationError(_("Hãy chọn hộ gia đình, hoặc ghi họ tên và số điện thoại người yêu cầu."))
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError(_("Ngày nhận không được sau hôm nay."))
    now = timezone.now()
    with transaction.atomic():
        request = _create(
            kind=kind, channel=ChannelKind.OFFICER, commune=commune, household=household, resident=resident,
            subject_name=name, subject_phone=phone, details=check_details(details),
            processor_involved=processor_involved, status=Status.RECEIVED, verified_at=now, created_by_id=actor_id,
            **_deadlines(received_on, processor_involved),
        )
        _audit(request, "record", actor_id, channel=request.channel, household=bool(household))
    return request


def request_submit(*, kind: str, commune: Unit, name: str, phone: str, details: str = "") -> DataSubjectRequest:
    """A request from the public form (no account): waits for the commune officer to verify it."""
    if kind not in Kind.values:
        raise ValidationError(_("Loại yêu cầu không hợp lệ."))
    _check_commune(commune)
    name = check_name(name)
    phone = check_phone(phone, required=True)
    with transaction.atomic():
        request = _create(
            kind=kind, channel=ChannelKind.PUBLIC_FORM, commune=commune, subject_name=name, subject_phone=phone,
            details=check_details(details), status=Status.VERIFYING, **_deadlines(timezone.localdate(), False),
        )
        _audit(request, "submit", None, channel=request.channel)
    return request


def _check_open(request: DataSubjectRequest) -> None:
    if request.status in FINAL_STATUSES:
        raise ValidationError(_("Yêu cầu đã kết thúc, không thay đổi được nữa."))


def request_verify(
    *, request: DataSubjectRequest, actor_id: int | None, household: Household | None = None,
    resident: Resident | None = None,
) -> DataSubjectRequest:
    """The officer has checked the person (by calling the phone given, or in person)."""
    if request.status != Status.VERIFYING:
        raise ValidationError(_("Yêu cầu này không ở trạng thái chờ xác minh."))
    with transaction.atomic():
        if household is not None:
            _link(request, household, resident)
        request.status = Status.RECEIVED
        request.verified_at = timezone.now()
        request.save(update_fields=["status", "verified_at", "household", "resident", "updated_at"])
        _audit(request, "verify", actor_id, household=request.household_id is not None)
    return request


def _link(request: DataSubjectRequest, household: Household, resident: Resident | None) -> None:
    _check_subject(household, resident, request.commune)
    request.household, request.resident = household, resident


def request_link(
    *, request: DataSubjectRequest, household: Household, resident: Resident | None = None, actor_id: int | None
) -> DataSubjectRequest:
    """Tie an open request to the household (and resident) it is about, once the officer knows it.
    The caller checks that the officer may see the household."""
    _check_open(request)
    with transaction.atomic():
        _link(request, household, resident)
        request.save(update_fields=["household", "resident", "updated_at"])
        _audit(request, "link", actor_id, household=str(household.pk))
    return request


def request_acknowledge(*, request: DataSubjectRequest, actor_id: int | None) -> DataSubjectRequest:
    """The person has been told their request was received (and what happens next)."""
    if request.status == Status.VERIFYING:
        raise ValidationError(_("Cần xác minh người yêu cầu trước."))
    if request.status != Status.RECEIVED:
        raise ValidationError(_("Yêu cầu này đã được xác nhận hoặc đã kết thúc."))
    with transaction.atomic():
        request.status = Status.ACKNOWLEDGED
        request.acknowledged_at = timezone.now()
        request.save(update_fields=["status", "acknowledged_at", "updated_at"])
        _audit(request, "acknowledge", actor_id, late=timezone.localdate() > request.acknowledge_by)
    return request


def request_complete(*, request: DataSubjectRequest, outcome: str, actor_id: int | None) -> DataSubjectRequest:
    """Do what the request asks and close it:

    - access, export: the officer has given the person their data (the export page, audited);
    - correct: the officer has corrected the details on the household's pages;
    - restrict, object: the household's processing is restricted (it leaves every list);
    - withdraw: the household's consent is withdrawn (its details are anonymised, counts stay);
    - erase: every trace of the person is anonymised (erasure.py), counts stay.
    """
    if request.status == Status.VERIFYING:
        raise ValidationError(_("Cần xác minh người yêu cầu trước."))
    _check_open(request)
    outcome = check_details(outcome)
    if request.kind in NEEDS_HOUSEHOLD and request.household is None:
        raise ValidationError(_("Hãy gắn yêu cầu với hộ gia đình trước khi thực hiện."))
    if request.kind == Kind.CORRECT and not outcome:
        raise ValidationError(_("Hãy ghi đã sửa những thông tin nào."))
    if request.kind == Kind.WITHDRAW and not request.household.consents.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError(_("Hộ này không có bản đồng ý đang hiệu lực."))
    now = timezone.now()
    details: dict = {}
    with transaction.atomic():
        request.outcome = outcome
        request.status = Status.COMPLETED
        request.completed_at = now
        if request.acknowledged_at is None:
            request.acknowledged_at = now
        request.save(update_fields=["outcome", "status", "completed_at", "acknowledged_at", "updated_at"])
        if request.kind in (Kind.RESTRICT, Kind.OBJECT):
            _restrict(request, actor_id, now)
        elif request.kind == Kind.WITHDRAW:
            consent_withdraw(household=request.household, actor_id=actor_id)
        elif request.kind == Kind.ERASE:
            counts: ErasureCounts = subject_erase(request=request, actor_id=actor_id, at=now)
            details = counts.as_details()
        _audit(request, "complete", actor_id, late=timezone.localdate() > request.complete_by, **details)
    return request


def _restrict(request: DataSubjectRequest, actor_id: int | None, now: dt.datetime) -> None:
    if Restriction.objects.filter(household=request.household, lifted_at__isnull=True).exists():
        return  # already restricted: the request is met
    restriction = Restriction.objects.create(
        household=request.household, request=request, started_at=now, created_by_id=actor_id
    )
    record(
        actor_id=actor_id, action="privacy.restrict", object_type="households.household",
        object_id=request.household_id, unit_id=request.household.village_id, details={"restriction": restriction.pk},
    )


def request_refuse(*, request: DataSubjectRequest, reason: str, actor_id: int | None) -> DataSubjectRequest:
    """Refuse with a reason the person is told (e.g. the person could not be verified)."""
    _check_open(request)
    reason = check_details(reason)
    if len(reason) < 5:
        raise ValidationError(_("Cần ghi lý do từ chối (ít nhất 5 ký tự)."))
    with transaction.atomic():
        request.status = Status.REFUSED
        request.outcome = reason
        request.completed_at = timezone.now()
        request.save(update_fields=["status", "outcome", "completed_at", "updated_at"])
        _audit(request, "refuse", actor_id)
    return request


def restriction_lift(*, restriction: Restriction, actor_id: int | None) -> Restriction:
    """The person asks for processing to resume (or the reason for the restriction is gone)."""
    if restriction.lifted_at is not None:
        raise ValidationError(_("Hạn chế này đã được gỡ."))
    with transaction.atomic():
        restriction.lifted_at = timezone.now()
        restriction.lifted_by_id = actor_id
        restriction.save(update_fields=["lifted_at", "lifted_by"])
        record(
            actor_id=actor_id, action="privacy.restriction_lift", object_type="households.household",
            object_id=restriction.household_id, unit_id=restriction.household.village_id,
            details={"restriction": restriction.pk},
        )
    return restriction


def export_record(*, request: DataSubjectRequest, file_format: str, counts: dict[str, int], actor_id: int | None) -> None:
    """Audit an export of a subject's data: who, when, which request, what format, how many rows."""
    if request.status == Status.VERIFYING:
        raise ValidationError(_("Cần xác minh người yêu cầu trước."))
    people = counts.get("residents", 0) + (1 if counts.get("household") else 0)
    record(
        actor_id=actor_id, action="privacy.export", object_type="privacy.request", object_id=request.pk,
        unit_id=request.commune_id,
        details={"format": file_format, "people": people, "rows": sum(counts.values()), **counts},
    )
