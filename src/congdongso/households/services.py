"""Every write to households, residents and consent. Personal details need consent in force."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.audit.writer import record
from congdongso.common.phones import normalise_phone
from congdongso.common.sensitive import refuse_sensitive
from congdongso.common.text import clean_name, fold
from congdongso.geo.models import Level, Unit
from congdongso.households.registry import run_anonymisers
from congdongso.households.models import (
    CURRENT_NOTICE_VERSION,
    TAG_FIELDS,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    Device,
    Household,
    Resident,
    Sex,
)

SKILL_COUNT = 5
MIN_BIRTH_YEAR = 1900


def _check_village(village: Unit) -> None:
    if village.level != Level.VILLAGE or not village.is_current:
        raise ValidationError(_("Hộ gia đình phải thuộc một thôn/tổ dân phố đang hoạt động."))


def _tag_values(tags: Iterable[str]) -> dict[str, bool]:
    wanted = set(tags)
    unknown = wanted - set(TAG_FIELDS)
    if unknown:
        raise ValidationError(_("Đặc điểm hộ không hợp lệ."))
    return {field: tag in wanted for tag, field in TAG_FIELDS.items()}


def household_create(
    *, village: Unit, tags: Iterable[str] = (), resident_count: int = 0, actor_id: int | None
) -> Household:
    """A counts-only household: no names, no contact until someone consents."""
    _check_village(village)
    if not 0 <= resident_count <= 99:
        raise ValidationError(_("Số nhân khẩu phải từ 0 đến 99."))
    with transaction.atomic():
        household = Household.objects.create(
            village=village, resident_count=resident_count, created_by_id=actor_id, **_tag_values(tags)
        )
        record(
            actor_id=actor_id, action="household.create", object_type="households.household",
            object_id=household.pk, unit_id=village.pk,
        )
    return household


def household_tags_set(*, household: Household, tags: Iterable[str], actor_id: int | None) -> Household:
    values = _tag_values(tags)
    with transaction.atomic():
        for field, value in values.items():
            setattr(household, field, value)
        household.save(update_fields=[*values, "updated_at"])
        record(
            actor_id=actor_id, action="household.tags", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id, details={"tags": sorted(household.tags)},
        )
    return household


def consent_record(
    *, household: Household, given_by: str, method: str, purposes: Iterable[str],
    notice_version: str = CURRENT_NOTICE_VERSION, given_at: dt.datetime | None = None, actor_id: int | None,
) -> ConsentRecord:
    """Record consent (never assumed: every purpose is named explicitly by the caller)."""
    purposes = sorted(set(purposes))
    if not clean_name(given_by):
        raise ValidationError(_("Cần ghi tên người đồng ý."))
    refuse_sensitive(given_by)
    if method not in ConsentMethod.values:
        raise ValidationError(_("Hình thức đồng ý không hợp lệ."))
    if not purposes or not set(purposes) <= set(ConsentPurpose.values):
        raise ValidationError(_("Cần chọn ít nhất một mục đích được đồng ý."))
    if ConsentPurpose.DIGITAL_SUPPORT not in purposes:
        raise ValidationError(_("Để lưu thông tin cá nhân, người dân cần đồng ý mục đích hỗ trợ dịch vụ số."))
    with transaction.atomic():
        if household.consents.filter(withdrawn_at__isnull=True).exists():
            raise ValidationError(_("Hộ này đã có bản đồng ý đang hiệu lực."))
        consent = ConsentRecord.objects.create(
            household=household, given_by=clean_name(given_by)[:150], method=method, purposes=purposes,
            notice_version=notice_version, given_at=given_at or timezone.now(), recorded_by_id=actor_id,
        )
        Household.objects.filter(pk=household.pk).update(has_consent=True)
        household.has_consent = True
        record(
            actor_id=actor_id, action="consent.record", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id,
            details={"method": method, "purposes": purposes, "notice_version": notice_version},
        )
    return consent


def _require_consent(household: Household) -> None:
    if not household.consents.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError(
            _("Hộ này chưa đồng ý cung cấp thông tin: chỉ được lưu số lượng, không lưu tên hay số điện thoại.")
        )


def _phone_or_error(raw: str) -> str:
    if not (raw or "").strip():
        return ""
    phone = normalise_phone(raw)
    if phone is None:
        raise ValidationError(_("Số điện thoại không hợp lệ."))
    return phone


def household_details_set(
    *, household: Household, head_name: str, address_line: str, phone: str, actor_id: int | None
) -> Household:
    _require_consent(household)
    for text in (head_name, address_line):
        refuse_sensitive(text)
    household.head_name = clean_name(head_name)[:150]
    household.search_name = fold(household.head_name)
    household.address_line = clean_name(address_line)[:200]
    household.phone = _phone_or_error(phone)
    with transaction.atomic():
        household.save(update_fields=["head_name", "search_name", "address_line", "phone", "updated_at"])
        record(
            actor_id=actor_id, action="household.details", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id,
        )
    return household


def resident_add(
    *, household: Household, display_name: str = "", birth_year: int | None = None, sex: str = Sex.UNSPECIFIED,
    phone: str = "", device: str = Device.NONE, actor_id: int | None,
) -> Resident:
    """Add a resident. Name, birth year and phone need consent; an anonymous resident does not."""
    _check_resident(household, display_name, birth_year, sex, phone, device)
    name = clean_name(display_name)[:150]
    with transaction.atomic():
        resident = Resident.objects.create(
            household=household, display_name=name, search_name=fold(name), birth_year=birth_year, sex=sex,
            phone=_phone_or_error(phone), device=device,
        )
        count = household.residents.count()
        if count > household.resident_count:
            Household.objects.filter(pk=household.pk).update(resident_count=count)
            household.resident_count = count
        record(
            actor_id=actor_id, action="resident.add", object_type="households.resident", object_id=resident.pk,
            unit_id=household.village_id,
        )
    return resident


def _check_resident(
    household: Household, display_name: str, birth_year: int | None, sex: str, phone: str, device: str
) -> None:
    personal = bool(clean_name(display_name) or birth_year or (phone or "").strip())
    if personal:
        _require_consent(household)
    refuse_sensitive(display_name)
    current_year = timezone.localdate().year
    if birth_year is not None and not MIN_BIRTH_YEAR <= birth_year <= current_year:
        raise ValidationError(_("Năm sinh phải từ %(min)s đến %(max)s.") % {"min": MIN_BIRTH_YEAR, "max": current_year})
    if sex not in Sex.values or device not in Device.values:
        raise ValidationError(_("Giới tính hoặc thiết bị không hợp lệ."))


def resident_update(
    *, resident: Resident, display_name: str = "", birth_year: int | None = None, sex: str = Sex.UNSPECIFIED,
    phone: str = "", device: str = Device.NONE, actor_id: int | None,
) -> Resident:
    """Correct a resident's details; the same consent rule as `resident_add`."""
    household = resident.household
    _check_resident(household, display_name, birth_year, sex, phone, device)
    resident.display_name = clean_name(display_name)[:150]
    resident.search_name = fold(resident.display_name)
    resident.birth_year, resident.sex, resident.device = birth_year, sex, device
    resident.phone = _phone_or_error(phone)
    with transaction.atomic():
        resident.save(update_fields=["display_name", "search_name", "birth_year", "sex", "phone", "device", "updated_at"])
        record(
            actor_id=actor_id, action="resident.update", object_type="households.resident", object_id=resident.pk,
            unit_id=household.village_id,
        )
    return resident


def household_count_set(*, household: Household, resident_count: int, actor_id: int | None) -> Household:
    """Correct the number of residents (never below the residents already listed)."""
    listed = household.residents.count()
    if not 0 <= resident_count <= 99:
        raise ValidationError(_("Số nhân khẩu phải từ 0 đến 99."))
    if resident_count < listed:
        raise ValidationError(
            _("Hộ đã có %(count)s nhân khẩu trong danh sách: số nhân khẩu không được ít hơn.") % {"count": listed}
        )
    with transaction.atomic():
        Household.objects.filter(pk=household.pk).update(resident_count=resident_count)
        household.resident_count = resident_count
        record(
            actor_id=actor_id, action="household.count", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id, details={"resident_count": resident_count},
        )
    return household


def consent_withdraw(*, household: Household, actor_id: int | None) -> Household:
    """Stop processing: anonymise the household and its residents now; counts and adoption stay."""
    now = timezone.now()
    with transaction.atomic():
        updated = household.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now, given_by="")
        if not updated:
            raise ValidationError(_("Hộ này không có bản đồng ý đang hiệu lực."))
        household_anonymise(household=household, at=now)
        record(
            actor_id=actor_id, action="consent.withdraw", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id,
        )
    return household


def household_anonymise(*, household: Household, at: dt.datetime) -> None:
    """Remove every personal detail of a household and its residents; keep counts and adoption."""
    Household.objects.filter(pk=household.pk).update(
        head_name="", search_name="", address_line="", phone="", has_consent=False, anonymised_at=at
    )
    household.residents.update(display_name="", search_name="", birth_year=None, phone="", is_anonymised=True)
    # Free-text notes written during visits may name people: they go too.
    run_anonymisers(household.pk)
    household.refresh_from_db()


def household_state_set(*, household_id, residents_skills: dict, actor_id: int | None = None) -> None:
    """Store the state derived from adoption: each resident's skills, proficiency and the household's
    nucleus. Called by the catalog's adoption service, in its transaction."""
    best = 0
    for resident_id, skills in residents_skills.items():
        skills = sorted(skills)
        Resident.objects.filter(pk=resident_id).update(skills=skills, proficient=len(skills) == SKILL_COUNT)
        best = max(best, len(skills))
    Household.objects.filter(pk=household_id).update(has_nucleus=best == SKILL_COUNT, missing_skills=SKILL_COUNT - best)
