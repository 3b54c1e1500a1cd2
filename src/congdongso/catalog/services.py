"""Writes to the catalogue and to adoption; every adoption change refreshes the derived state
(a resident's skills and proficiency, the household's digital nucleus) in the same transaction."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.audit.writer import record
from congdongso.catalog.models import Adoption, AdoptionState, MerchantAccount, RecommendationRule, Service, Skill
from congdongso.common.text import clean_name
from congdongso.geo.models import Level, Unit
from congdongso.households.models import TAG_FIELDS, Device, Household, Resident
from congdongso.households.metrics import households_tracked
from congdongso.households.services import households_state_set

_RANK = {AdoptionState.NOT_YET: 0, AdoptionState.ASSISTED: 1, AdoptionState.INDEPENDENT: 2}
# The catalogue lists services by sort_order, grouped by skill (national ones: 10-99 public services,
# 100-199 payment, 200-299 shopping, 300-399 safety, 400-499 local platform); a new service goes
# after the national ones of its skill.
SKILL_SORT_ORDER = {
    Skill.PUBLIC_SERVICES: 95, Skill.ONLINE_PAYMENT: 195, Skill.ONLINE_SHOPPING: 295, Skill.ONLINE_SAFETY: 395,
    Skill.LOCAL_PLATFORM: 495,
}


def service_create(
    *, code: str, name: str, skill: str, province: Unit | None, description: str = "",
    needs_smartphone: bool = True, actor_id: int | None,
) -> Service:
    """Add a service; a province officer adds their province's own (e.g. a citizen app)."""
    code = code.strip().lower()
    if not code or len(code) > 40 or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in code):
        raise ValidationError(_("Mã dịch vụ chỉ gồm chữ cái không dấu, chữ số, gạch ngang (tối đa 40 ký tự)."))
    if Service.objects.filter(code=code).exists():
        raise ValidationError(_("Mã dịch vụ này đã được dùng (mã không bao giờ được dùng lại)."))
    if skill not in Skill.values:
        raise ValidationError(_("Kỹ năng không hợp lệ."))
    if province is not None and (province.level != Level.PROVINCE or not province.is_current):
        raise ValidationError(_("Dịch vụ riêng phải thuộc một tỉnh/thành phố đang hoạt động."))
    if not clean_name(name):
        raise ValidationError(_("Cần nhập tên dịch vụ."))
    with transaction.atomic():
        service = Service.objects.create(
            code=code, name=clean_name(name)[:200], skill=skill, province=province,
            description=clean_name(description)[:300], needs_smartphone=needs_smartphone,
            sort_order=SKILL_SORT_ORDER[skill],
        )
        record(
            actor_id=actor_id, action="service.create", object_type="catalog.service", object_id=service.pk,
            unit_id=province.pk if province else None, details={"code": code},
        )
    return service


def adoptions_raise(
    *, resident: Resident, services: list[Service], state: str, at: dt.datetime | None = None
) -> int:
    """Move each service's adoption up to `state` (never down: help does not unlearn), then refresh
    the derived state. Returns how many adoptions changed. Runs inside the caller's transaction."""
    service_ids = tuple(service.pk for service in services)
    raised = AdoptionRaise(resident.pk, resident.household_id, service_ids, state, at or timezone.now())
    return adoptions_raise_many([raised])


@dataclass(frozen=True)
class AdoptionRaise:
    """One act of help's effect on adoption (what one `adoptions_raise` call is given)."""

    resident_id: uuid.UUID
    household_id: uuid.UUID
    service_ids: tuple[int, ...]
    state: str
    at: dt.datetime


def adoptions_raise_many(raises: list[AdoptionRaise]) -> int:
    """`adoptions_raise` for many acts of help at once, applied in the order given: one read of the
    residents' adoption, one insert, one update and one refresh of the households whose adoption
    changed (the sync applies a whole batch of assists with it). Returns how many adoptions changed.
    Runs inside the caller's transaction."""
    if not raises:
        return 0
    households = list(dict.fromkeys(r.household_id for r in raises))
    residents = list({r.resident_id for r in raises})
    with transaction.atomic(), households_tracked(households):
        known: dict[tuple, Adoption] = {}
        for start in range(0, len(residents), 500):
            for adoption in Adoption.objects.filter(resident_id__in=residents[start : start + 500]):
                known[(adoption.resident_id, adoption.service_id)] = adoption
        created: dict[tuple, Adoption] = {}
        changed: dict[tuple, Adoption] = {}
        touched: set = set()
        for r in raises:
            for service_id in r.service_ids:
                key = (r.resident_id, service_id)
                adoption = known.get(key)
                if adoption is None:
                    adoption = known[key] = created[key] = Adoption(resident_id=r.resident_id, service_id=service_id)
                elif _RANK[r.state] <= _RANK[adoption.state]:
                    continue
                elif key not in created:
                    changed[key] = adoption
                _raised(adoption, r.state, r.at)
                touched.add(r.household_id)
        now = timezone.now()
        for adoption in changed.values():
            adoption.updated_at = now  # bulk_update leaves auto_now fields alone; the sync feed reads it
        Adoption.objects.bulk_create(created.values())
        Adoption.objects.bulk_update(
            changed.values(), ["state", "first_assisted_at", "independent_since", "updated_at"], batch_size=500
        )
        households_refresh([household_id for household_id in households if household_id in touched])
    return len(created) + len(changed)


def _raised(adoption: Adoption, state: str, at: dt.datetime) -> None:
    adoption.state = state
    if state in (AdoptionState.ASSISTED, AdoptionState.INDEPENDENT) and adoption.first_assisted_at is None:
        adoption.first_assisted_at = at
    if state == AdoptionState.INDEPENDENT and adoption.independent_since is None:
        adoption.independent_since = at


def adoption_set(*, resident: Resident, service: Service, state: str, actor_id: int | None) -> Adoption:
    """Set one adoption to any state (a correction by a member), then refresh the derived state."""
    if state not in AdoptionState.values:
        raise ValidationError(_("Mức độ sử dụng không hợp lệ."))
    now = timezone.now()
    with transaction.atomic(), households_tracked([resident.household_id]):
        adoption, _created = Adoption.objects.get_or_create(resident=resident, service=service)
        adoption.state = state
        if state != AdoptionState.NOT_YET and adoption.first_assisted_at is None:
            adoption.first_assisted_at = now
        adoption.independent_since = (adoption.independent_since or now) if state == AdoptionState.INDEPENDENT else None
        adoption.save()
        household_refresh(household_id=resident.household_id)
        record(
            actor_id=actor_id, action="adoption.set", object_type="households.resident", object_id=resident.pk,
            details={"service": service.code, "state": state},
        )
    return adoption


def household_refresh(*, household_id) -> None:
    households_refresh([household_id])


def households_refresh(household_ids: list) -> None:
    """Recompute each resident's skills (a skill counts once a service of it is used independently)
    and each household's nucleus from adoption: two reads for all the households."""
    skills: dict = {household_id: {} for household_id in household_ids}
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start : start + 500]
        for pk, household_id in Resident.objects.filter(household_id__in=chunk).values_list("pk", "household_id"):
            skills[household_id][pk] = set()
        rows = Adoption.objects.filter(
            resident__household_id__in=chunk, state=AdoptionState.INDEPENDENT
        ).values_list("resident__household_id", "resident_id", "service__skill")
        for household_id, resident_id, skill in rows:
            skills[household_id][resident_id].add(skill)
    households_state_set(skills_by_household=skills)


# --- a province's own services and rules ----------------------------------------------------------

SERVICE_EDITABLE = ("name", "description", "needs_smartphone", "is_active")
MAX_AGE = 120
MAX_PRIORITY = 999


def service_update(
    *, service: Service, name: str, description: str, needs_smartphone: bool, is_active: bool, actor_id: int | None
) -> Service:
    """Change a service's wording, device need or availability. The code and the skill never change
    (adoption history and proficiency are counted against them)."""
    if not clean_name(name):
        raise ValidationError(_("Cần nhập tên dịch vụ."))
    service.name = clean_name(name)[:200]
    service.description = clean_name(description)[:300]
    service.needs_smartphone = needs_smartphone
    service.is_active = is_active
    with transaction.atomic():
        service.save(update_fields=list(SERVICE_EDITABLE))
        record(
            actor_id=actor_id, action="service.update", object_type="catalog.service", object_id=service.pk,
            unit_id=service.province_id, details={"code": service.code, "is_active": is_active},
        )
    return service


def _checked_rule(
    *, province: Unit, service: Service, tags_any, min_age, max_age, devices, priority, reason: str
) -> dict:
    if province.level != Level.PROVINCE or not province.is_current:
        raise ValidationError(_("Quy tắc phải thuộc một tỉnh/thành phố đang hoạt động."))
    if not service.is_active or service.province_id not in (None, province.pk):
        raise ValidationError(_("Dịch vụ không có trong danh mục của tỉnh/thành phố này."))
    tags = sorted(set(tags_any or ()))
    if not set(tags) <= set(TAG_FIELDS):
        raise ValidationError(_("Đặc điểm hộ không hợp lệ."))
    devices = sorted(set(devices or ()))
    if not set(devices) <= set(Device.values):
        raise ValidationError(_("Thiết bị không hợp lệ."))
    if service.needs_smartphone and devices and Device.SMARTPHONE not in devices:
        raise ValidationError(_("Dịch vụ này cần điện thoại thông minh: không thể gợi ý cho người không có."))
    for age in (min_age, max_age):
        if age is not None and not 0 <= age <= MAX_AGE:
            raise ValidationError(_("Tuổi phải từ 0 đến %(max)s.") % {"max": MAX_AGE})
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValidationError(_("Tuổi từ không được lớn hơn tuổi đến."))
    if not 0 <= priority <= MAX_PRIORITY:
        raise ValidationError(_("Độ ưu tiên phải từ 0 đến %(max)s.") % {"max": MAX_PRIORITY})
    reason = clean_name(reason)
    if not reason:
        raise ValidationError(_("Cần nhập lý do hiển thị cho thành viên."))
    if len(reason) > 200:
        raise ValidationError(_("Lý do hiển thị tối đa 200 ký tự."))
    return {
        "province": province, "service": service, "tags_any": tags, "min_age": min_age, "max_age": max_age,
        "devices": devices, "priority": priority, "reason": reason,
    }


def rule_create(
    *, province: Unit, service: Service, tags_any: list[str], min_age: int | None, max_age: int | None,
    devices: list[str], priority: int, reason: str, actor_id: int | None,
) -> RecommendationRule:
    """A province's own rule. While a province has an active rule for a service, the national rules
    of that service no longer apply there."""
    values = _checked_rule(
        province=province, service=service, tags_any=tags_any, min_age=min_age, max_age=max_age,
        devices=devices, priority=priority, reason=reason,
    )
    with transaction.atomic():
        rule = RecommendationRule.objects.create(**values)
        record(
            actor_id=actor_id, action="rule.create", object_type="catalog.rule", object_id=rule.pk,
            unit_id=province.pk, details={"service": service.code, "priority": priority},
        )
    return rule


def rule_update(
    *, rule: RecommendationRule, service: Service, tags_any: list[str], min_age: int | None, max_age: int | None,
    devices: list[str], priority: int, reason: str, actor_id: int | None,
) -> RecommendationRule:
    if rule.province_id is None:
        raise ValidationError(_("Quy tắc toàn quốc chỉ quản trị viên toàn quốc được sửa."))
    values = _checked_rule(
        province=rule.province, service=service, tags_any=tags_any, min_age=min_age, max_age=max_age,
        devices=devices, priority=priority, reason=reason,
    )
    with transaction.atomic():
        for field, value in values.items():
            setattr(rule, field, value)
        rule.save()
        record(
            actor_id=actor_id, action="rule.update", object_type="catalog.rule", object_id=rule.pk,
            unit_id=rule.province_id, details={"service": service.code, "priority": priority},
        )
    return rule


def rule_active_set(*, rule: RecommendationRule, is_active: bool, actor_id: int | None) -> RecommendationRule:
    """Switch a province's rule off (the national rules of its service apply again unless the
    province has another active rule for it) or back on."""
    if rule.province_id is None:
        raise ValidationError(_("Quy tắc toàn quốc chỉ quản trị viên toàn quốc được sửa."))
    with transaction.atomic():
        rule.is_active = is_active
        rule.save(update_fields=["is_active"])
        record(
            actor_id=actor_id, action="rule.activate" if is_active else "rule.deactivate",
            object_type="catalog.rule", object_id=rule.pk, unit_id=rule.province_id,
        )
    return rule


# --- VietQR signs and the accounts owners agreed to keep ------------------------------------------


def vietqr_sign_made(*, household: Household | None, bank: str, actor_id: int | None) -> None:
    """Audit that a sign was made (bank key only: the account number is not logged)."""
    record(
        actor_id=actor_id, action="vietqr.sign", object_type="households.household",
        object_id=household.pk if household else "", unit_id=household.village_id if household else None,
        details={"bank": bank},
    )


def merchant_account_save(
    *, household: Household, bank: str, account_number: str, account_name: str, shop_name: str,
    owner_consents: bool, actor_id: int | None,
) -> MerchantAccount:
    """Keep a household's receiving account so the sign can be printed again: only when the
    household's consent is in force and the owner agreed to this, never by default."""
    if not owner_consents:
        raise ValidationError(_("Chỉ lưu số tài khoản khi chủ hộ đồng ý."))
    if not household.consents.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError(
            _("Hộ này chưa đồng ý cung cấp thông tin: không thể lưu số tài khoản (vẫn in được biển).")
        )
    with transaction.atomic():
        account, created = MerchantAccount.objects.update_or_create(
            household=household,
            defaults={
                "bank": bank, "account_number": account_number, "account_name": clean_name(account_name)[:50],
                "shop_name": clean_name(shop_name)[:60], "owner_consented_at": timezone.now(),
                "recorded_by_id": actor_id,
            },
        )
        record(
            actor_id=actor_id, action="merchant_account.save", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id, details={"bank": bank, "created": created},
        )
    return account


def merchant_account_viewed(*, household: Household, actor_id: int | None) -> None:
    """Audit that someone saw the stored account of a household (a view of personal details)."""
    record(
        actor_id=actor_id, action="merchant_account.view", object_type="households.household",
        object_id=household.pk, unit_id=household.village_id,
    )


def merchant_account_forget(*, household: Household, actor_id: int | None) -> int:
    """The owner no longer wants the account kept."""
    with transaction.atomic():
        deleted = merchant_account_erase(household.pk)
        if deleted:
            record(
                actor_id=actor_id, action="merchant_account.forget", object_type="households.household",
                object_id=household.pk, unit_id=household.village_id,
            )
    return deleted


def merchant_account_erase(household_id) -> int:
    """Anonymiser registered with households: withdrawal of consent erases the stored account."""
    deleted, _by_model = MerchantAccount.objects.filter(household_id=household_id).delete()
    return deleted
