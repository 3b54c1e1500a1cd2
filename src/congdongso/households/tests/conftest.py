import pytest
from django.apps import apps

from congdongso.accounts.models import Role
from congdongso.households.models import ConsentMethod, ConsentPurpose
from congdongso.households.services import consent_record, household_create, household_details_set, resident_add
from congdongso.testing.browser import browser, order_browser_tests_last, page  # noqa: F401
from congdongso.testing.forms import assert_refused


@pytest.fixture
def world(make):
    """Commune A (two villages, a member on the first, a commune officer) and commune B (its own officer)."""
    province = make.province(name="Tỉnh Thử Nghiệm")
    a = make.commune(province, name="Xã An Bình")
    b = make.commune(province, name="Xã Bình Minh")
    village_a, village_a2, village_b = make.village(a, name="Thôn Đông"), make.village(a, name="Thôn Nam"), make.village(b, name="Thôn Tây")
    return {
        "province": province, "a": a, "b": b, "village_a": village_a, "village_a2": village_a2, "village_b": village_b,
        "member": make.user(Role.MEMBER, village_a), "officer_a": make.user(Role.COMMUNE_OFFICER, a),
        "officer_b": make.user(Role.COMMUNE_OFFICER, b), "province_officer": make.user(Role.PROVINCE_OFFICER, province),
    }


def consented_household(village, *, head_name="Nguyễn Văn An", residents=("Nguyễn Văn An",), tags=()):
    household = household_create(village=village, tags=tags, resident_count=len(residents), actor_id=None)
    consent_record(
        household=household, given_by=head_name, method=ConsentMethod.SPOKEN,
        purposes=[ConsentPurpose.DIGITAL_SUPPORT], actor_id=None,
    )
    household_details_set(
        household=household, head_name=head_name, address_line="Số 5, ngõ 2", phone="0912 345 678", actor_id=None
    )
    for name in residents:
        resident_add(household=household, display_name=name, birth_year=1970, phone="", actor_id=None)
    return household


def households_state() -> dict:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("households").get_models()
    }


def assert_refused_here(client, url, data, expected):
    """`testing.forms.assert_refused`, and the households tables unchanged too."""
    before = households_state()
    text = assert_refused(client, url, data, expected)
    assert households_state() == before, "a refused form wrote to the households tables"
    return text


def pytest_collection_modifyitems(session, config, items):
    order_browser_tests_last(items)
