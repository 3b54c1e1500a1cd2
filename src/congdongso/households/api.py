"""Households in the user's scope, as JSON. Personal details only while consent is in force; every
response that carries them is audited (ids only)."""

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from congdongso.audit.access import access_record
from congdongso.audit.writer import record
from congdongso.households import selectors
from congdongso.households.models import Household, Resident

router = Router(tags=["households"])

MAX_LIMIT = 100


class HouseholdOut(Schema):
    id: uuid.UUID
    village_id: int
    village_name: str
    tags: list[str]
    resident_count: int
    has_consent: bool
    has_nucleus: bool
    missing_skills: int
    # Null unless consent is in force.
    head_name: str | None
    address_line: str | None
    phone: str | None


class ResidentOut(Schema):
    id: uuid.UUID
    sex: str
    device: str
    proficient: bool
    skills: list[str]
    # Null unless consent is in force.
    display_name: str | None
    birth_year: int | None
    phone: str | None


class ConsentOut(Schema):
    method: str
    purposes: list[str]
    notice_version: str
    given_at: dt.datetime


class HouseholdDetailOut(HouseholdOut):
    consent: ConsentOut | None
    residents: list[ResidentOut]


def _personal(household: Household, value: str) -> str | None:
    return value if household.has_consent else None


def _household_out(household: Household) -> dict:
    return {
        "id": household.pk, "village_id": household.village_id, "village_name": household.village.name,
        "tags": sorted(household.tags), "resident_count": household.resident_count,
        "has_consent": household.has_consent, "has_nucleus": household.has_nucleus,
        "missing_skills": household.missing_skills,
        "head_name": _personal(household, household.head_name),
        "address_line": _personal(household, household.address_line),
        "phone": _personal(household, household.phone),
    }


def _resident_out(household: Household, resident: Resident) -> dict:
    consented = household.has_consent
    return {
        "id": resident.pk, "sex": resident.sex, "device": resident.device, "proficient": resident.proficient,
        "skills": list(resident.skills),
        "display_name": resident.display_name if consented else None,
        "birth_year": resident.birth_year if consented else None,
        "phone": resident.phone if consented else None,
    }


@router.get("/", response=list[HouseholdOut], summary="Các hộ trong phạm vi của bạn")
def list_households(
    request: HttpRequest, q: str = "", village: int | None = None, tag: str = "", limit: int = 50, offset: int = 0
):
    """Ordered by village and name; `q` finds a head or resident name without diacritics
    ("nguyen van a"); `tag` is one of business, school_children, elderly, poor, ethnic_minority,
    disability."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(offset, 0)
    if village is not None and not 0 < village < 2**63:
        return []
    households = list(
        selectors.households_search(request.user, query=q, village_id=village, tag=tag)[offset : offset + limit]
    )
    access_record(request, what="household.api_list", households=households)
    shown = [str(h.pk) for h in households if h.has_consent]
    if shown:
        record(
            actor_id=request.user.pk, action="household.list", object_type="households.household", object_id="",
            details={"households": shown},
        )
    return [_household_out(h) for h in households]


@router.get("/{household_id}", response=HouseholdDetailOut, summary="Một hộ và các nhân khẩu")
def get_household(request: HttpRequest, household_id: uuid.UUID):
    household = selectors.household_in_scope_or_404(request.user, household_id)
    access_record(request, what="household.api", households=[household])
    if household.has_consent:
        record(
            actor_id=request.user.pk, action="household.view", object_type="households.household",
            object_id=household.pk, unit_id=household.village_id, details={"page": "api"},
        )
    consent = selectors.consent_in_force(household)
    return {
        **_household_out(household),
        "consent": consent,
        "residents": [_resident_out(household, r) for r in selectors.residents_of(household)],
    }
