import pytest
from django.utils import timezone

from congdongso.catalog.models import Service
from congdongso.households.models import ConsentMethod, ConsentPurpose, Device
from congdongso.households.services import consent_record, household_create, resident_add
from congdongso.testing.browser import browser, order_browser_tests_last, page  # noqa: F401

THIS_YEAR = timezone.localdate().year


def pytest_collection_modifyitems(session, config, items):
    order_browser_tests_last(items)


def born(age: int) -> int:
    return THIS_YEAR - age


@pytest.fixture
def service():
    """A national service of the seeded catalogue, by code."""
    return lambda code: Service.objects.get(code=code)


@pytest.fixture
def household(make):
    """Build a household through the real services: tags, consent, residents as (age, device)
    pairs (age None: an anonymous resident, allowed without consent)."""

    def build(*people, village=None, tags=(), consent=True):
        home = household_create(village=village or make.village(), tags=tags, actor_id=None)
        if consent:
            consent_record(
                household=home, given_by="Chủ hộ", method=ConsentMethod.SPOKEN,
                purposes=[ConsentPurpose.DIGITAL_SUPPORT], actor_id=None,
            )
        for n, (age, device) in enumerate(people, start=1):
            resident_add(
                household=home, display_name=f"Người {n}" if consent else "",
                birth_year=born(age) if age is not None else None, device=device, actor_id=None,
            )
        return home

    return build


SMART = Device.SMARTPHONE
FEATURE = Device.FEATURE_PHONE
NO_PHONE = Device.NONE


@pytest.fixture
def world(make):
    """Two provinces; an officer of each level in the first; a member in one of its villages."""
    from congdongso.accounts.models import Role

    province = make.province(name="Tỉnh Hòa Bình Thử")
    commune = make.commune(province, name="Xã An Bình")
    village = make.village(commune, name="Thôn Đông")
    other = make.province(name="Tỉnh Xa Xôi")
    other_village = make.village(make.commune(other))
    return {
        "province": province, "commune": commune, "village": village, "other": other,
        "other_village": other_village,
        "province_officer": make.user(Role.PROVINCE_OFFICER, province),
        "other_officer": make.user(Role.PROVINCE_OFFICER, other),
        "commune_officer": make.user(Role.COMMUNE_OFFICER, commune),
        "member": make.user(Role.MEMBER, village),
        "admin": make.user(Role.NATIONAL_ADMIN),
    }
