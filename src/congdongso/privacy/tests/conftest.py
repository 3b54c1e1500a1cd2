import pytest
from django.core.cache import cache

NAME = "Hoàng Thị Quỳnh Xuyến"
PHONE = "+84983216547"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits count in the cache: every test starts from none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(make):
    """Commune A (village Thôn Đông, a member, a household that consented, its head and one more
    resident) and commune B (village Thôn Tây, a household), each with its officer."""
    from congdongso.accounts.models import Role
    from congdongso.households.models import ConsentMethod, ConsentPurpose
    from congdongso.households.services import consent_record, household_create, household_details_set, resident_add

    province = make.province(name="Tỉnh Thử Nghiệm")
    a = make.commune(province, name="Xã An Bình")
    b = make.commune(province, name="Xã Bình Minh")
    village = make.village(a, name="Thôn Đông")
    village_b = make.village(b, name="Thôn Tây")
    household = household_create(village=village, resident_count=2, actor_id=None)
    consent_record(
        household=household, given_by=NAME, method=ConsentMethod.SPOKEN,
        purposes=[ConsentPurpose.DIGITAL_SUPPORT, ConsentPurpose.CONTACT], actor_id=None,
    )
    household_details_set(household=household, head_name=NAME, address_line="Số 9, ngõ Đông", phone=PHONE, actor_id=None)
    head = resident_add(household=household, display_name=NAME, birth_year=1961, phone=PHONE, actor_id=None)
    other = resident_add(household=household, display_name="Đặng Văn Khôi", birth_year=1990, actor_id=None)
    household_b = household_create(village=village_b, resident_count=1, actor_id=None)
    return {
        "province": province, "a": a, "b": b, "village": village, "village_b": village_b,
        "household": household, "head": head, "other": other, "household_b": household_b,
        "member": make.user(Role.MEMBER, village, username="thanhvien-dong"),
        "officer_a": make.user(Role.COMMUNE_OFFICER, a, username="canbo-anbinh"),
        "officer_b": make.user(Role.COMMUNE_OFFICER, b, username="canbo-binhminh"),
        "province_officer": make.user(Role.PROVINCE_OFFICER, province, username="canbo-tinh"),
    }


@pytest.fixture
def open_request(world):
    """Record a request through the officer channel (verified as recorded)."""
    from congdongso.privacy.services import request_record

    def record(kind, *, household=None, resident=None, commune=None, **fields):
        return request_record(
            kind=kind, commune=commune or world["a"], household=household, resident=resident,
            actor_id=world["officer_a"].pk, **fields,
        )

    return record
