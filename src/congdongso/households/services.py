"""Every write to households, residents and consent. Personal details need consent in force."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.audit.writer import record
from congdongso.common.ids import new_id
from congdongso.common.phones import normalise_phone
from congdongso.common.sensitive import refuse_sensitive
from congdongso.common.text import clean_name, fold
from congdongso.geo.models import Level, Unit
from congdongso.households.metrics import households_counted, households_tracked
from congdongso.households.registry import run_anonymisers
from congdongso.households.models import (
    CURRENT_NOTICE_VERSION,
    EDITABLE_FIELDS,
    PERSONAL_FIELDS,
    TAG_FIELDS,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    Device,
    Household,
    HouseholdFieldVersion,
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
    *, village: Unit, tags: Iterable[str] = (), resident_count: int = 0, actor_id: int | None,
    household_id: uuid.UUID | None = None,
) -> Household:
    """A counts-only household: no names, no contact until someone consents. `household_id` is the
    id a phone made for it offline (a new UUIDv7 otherwise)."""
    _check_village(village)
    if not 0 <= resident_count <= 99:
        raise ValidationError(_("Số nhân khẩu phải từ 0 đến 99."))
    with transaction.atomic():
        household = Household.objects.create(
            id=household_id or new_id(), village=village, resident_count=resident_count, created_by_id=actor_id,
            **_tag_values(tags),
        )
        record(
            actor_id=actor_id, action="household.create", object_type="households.household",
            object_id=household.pk, unit_id=village.pk,
        )
        households_counted([household.pk])
    return household


def household_tags_set(*, household: Household, tags: Iterable[str], actor_id: int | None) -> Household:
    values = _tag_values(tags)
    with transaction.atomic(), households_tracked([household.pk]):
        _versions_record(household, values, actor_id=actor_id)
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
    with transaction.atomic(), households_tracked([household.pk]):
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
    values = {
        "head_name": clean_name(head_name)[:150], "address_line": clean_name(address_line)[:200],
        "phone": _phone_or_error(phone),
    }
    with transaction.atomic():
        _versions_record(household, values, actor_id=actor_id)
        household.head_name, household.address_line, household.phone = (
            values["head_name"], values["address_line"], values["phone"]
        )
        household.search_name = fold(household.head_name)
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
    with transaction.atomic(), households_tracked([household.pk]):
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
    with transaction.atomic(), households_tracked([household.pk]):
        _versions_record(household, {"resident_count": resident_count}, actor_id=actor_id)
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
    with transaction.atomic(), households_tracked([household.pk]):
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
    with households_tracked([household.pk]):
        _household_anonymise(household, at)


def _household_anonymise(household: Household, at: dt.datetime) -> None:
    Household.objects.filter(pk=household.pk).update(
        head_name="", search_name="", address_line="", phone="", has_consent=False, anonymised_at=at
    )
    household.residents.update(display_name="", search_name="", birth_year=None, phone="", is_anonymised=True)
    HouseholdFieldVersion.objects.filter(household_id=household.pk, field__in=PERSONAL_FIELDS).update(value="")
    # Free-text notes written during visits may name people: they go too.
    run_anonymisers(household.pk)
    household.refresh_from_db()


def resident_anonymise(*, resident: Resident, actor_id: int | None) -> Resident:
    """Remove one resident's personal details (their own erasure request, when the rest of the
    household keeps its consent); the resident stays counted, with their skills and adoption."""
    with transaction.atomic(), households_tracked([resident.household_id]):
        Resident.objects.filter(pk=resident.pk).update(
            display_name="", search_name="", birth_year=None, phone="", is_anonymised=True
        )
        record(
            actor_id=actor_id, action="resident.anonymise", object_type="households.resident", object_id=resident.pk,
            unit_id=resident.household.village_id,
        )
    resident.refresh_from_db()
    return resident


def household_state_set(*, household_id, residents_skills: dict, actor_id: int | None = None) -> None:
    """Store the state derived from adoption: each resident's skills, proficiency and the household's
    nucleus. Called by the catalog's adoption service, in its transaction."""
    households_state_set(skills_by_household={household_id: residents_skills})


def households_state_set(*, skills_by_household: dict) -> None:
    """`household_state_set` for many households ({household: {resident: skills}}): one read of what
    is stored, and only the residents and households whose state changes are written (a sync batch
    refreshes hundreds of households, and a skill is rarely gained)."""
    resident_ids = [pk for residents in skills_by_household.values() for pk in residents]
    household_ids = list(skills_by_household)
    stored_residents, stored_households = {}, {}
    for start in range(0, len(resident_ids), 500):
        rows = Resident.objects.filter(pk__in=resident_ids[start : start + 500]).values_list(
            "pk", "skills", "proficient"
        )
        stored_residents.update((pk, (skills, proficient)) for pk, skills, proficient in rows)
    for start in range(0, len(household_ids), 500):
        rows = Household.objects.filter(pk__in=household_ids[start : start + 500]).values_list(
            "pk", "has_nucleus", "missing_skills"
        )
        stored_households.update((pk, (nucleus, missing)) for pk, nucleus, missing in rows)
    for household_id, residents in skills_by_household.items():
        best = 0
        for resident_id, skills in residents.items():
            state = (sorted(skills), len(skills) == SKILL_COUNT)
            if stored_residents.get(resident_id) != state:
                Resident.objects.filter(pk=resident_id).update(skills=state[0], proficient=state[1])
            best = max(best, len(skills))
        state = (best == SKILL_COUNT, SKILL_COUNT - best)
        if stored_households.get(household_id) != state:
            Household.objects.filter(pk=household_id).update(has_nucleus=state[0], missing_skills=state[1])


# --- field-by-field edits (the phone's "household_edit" events) --------------------------------------

class ConsentRequired(ValidationError):
    """A personal detail was sent for a household without consent in force."""


def _versions_record(household: Household, values: dict, *, actor_id: int | None) -> None:
    """A page edit is a version too (made now): a phone's older edit arriving later does not undo it."""
    now = timezone.now()
    changed = [
        HouseholdFieldVersion(household=household, field=field, value=value, occurred_at=now, recorded_by_id=actor_id)
        for field, value in values.items()
        if getattr(household, field) != value
    ]
    HouseholdFieldVersion.objects.bulk_create(changed)


def _edited_value(household: Household, field: str, value):
    """The value to store for one edited field, checked like the page forms check it."""
    if field in PERSONAL_FIELDS:
        if not isinstance(value, str):
            raise ValidationError(_("Thông tin của hộ không hợp lệ."), code="invalid")
        if field == "phone":
            return _phone_or_error(value)
        refuse_sensitive(value)
        return clean_name(value)[: 150 if field == "head_name" else 200]
    if field == "resident_count":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 99:
            raise ValidationError(_("Số nhân khẩu phải từ 0 đến 99."), code="invalid")
        listed = household.residents.count()
        if value < listed:
            raise ValidationError(
                _("Hộ đã có %(count)s nhân khẩu trong danh sách: số nhân khẩu không được ít hơn.") % {"count": listed},
                code="invalid",
            )
        return value
    if not isinstance(value, bool):
        raise ValidationError(_("Đặc điểm hộ không hợp lệ."), code="invalid")
    return value


def household_fields_edit(
    *, household: Household, fields: dict, occurred_at: dt.datetime, actor_id: int | None, event_id=None
) -> list[str]:
    """Apply an edit made at `occurred_at`, field by field: every value is kept as a version, and a
    field takes it only when no newer version of that field exists (newest `occurred_at` wins, then
    the larger event id; an older edit arriving late is kept but changes nothing). Personal details
    need consent in force. Returns the fields whose value changed. The caller checks scope."""
    if not fields:
        raise ValidationError(_("Không có thông tin nào được sửa."), code="invalid")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Có trường thông tin không được sửa từ điện thoại."), code="invalid")
    if set(fields) & set(PERSONAL_FIELDS) and not household.consents.filter(withdrawn_at__isnull=True).exists():
        raise ConsentRequired(
            _("Hộ này chưa đồng ý cung cấp thông tin: chỉ được lưu số lượng, không lưu tên hay số điện thoại."),
            code="consent_required",
        )
    values = {field: _edited_value(household, field, value) for field, value in fields.items()}
    key = (occurred_at, str(event_id or ""))
    newest: dict[str, tuple] = {}
    for field, at, other_event in HouseholdFieldVersion.objects.filter(
        household=household, field__in=list(values)
    ).values_list("field", "occurred_at", "event_id"):
        version = (at, str(other_event or ""))
        if field not in newest or version > newest[field]:
            newest[field] = version
    winners = {field: value for field, value in values.items() if field not in newest or key > newest[field]}
    with transaction.atomic(), households_tracked([household.pk]):
        HouseholdFieldVersion.objects.bulk_create([
            HouseholdFieldVersion(
                household=household, field=field, value=value, occurred_at=occurred_at, event_id=event_id,
                recorded_by_id=actor_id,
            )
            for field, value in values.items()
        ])
        changed = [field for field, value in winners.items() if getattr(household, field) != value]
        for field in changed:
            setattr(household, field, winners[field])
        if changed:
            if "head_name" in changed:
                household.search_name = fold(household.head_name)
                changed_columns = [*changed, "search_name"]
            else:
                changed_columns = changed
            household.save(update_fields=[*changed_columns, "updated_at"])
        record(
            actor_id=actor_id, action="household.edit", object_type="households.household", object_id=household.pk,
            unit_id=household.village_id, details={"fields": sorted(values), "applied": sorted(changed)},
        )
    return changed
