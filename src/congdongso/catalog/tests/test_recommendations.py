"""What to help a household with next: per segment, with province rules overriding national ones."""

import pytest

from congdongso.catalog.models import AdoptionState, RecommendationRule, Service
from congdongso.catalog.selectors import recommendations_for, rules_in_force
from congdongso.catalog.services import adoptions_raise, rule_active_set, rule_create, service_create
from congdongso.catalog.tests.conftest import FEATURE, NO_PHONE, SMART
from congdongso.households.models import Tag

pytestmark = pytest.mark.django_db


def codes(recommendations) -> list[str]:
    return [r.service.code for r in recommendations]


def test_everyone_starts_with_vneid_level_2(household):
    home = household((35, SMART))
    recs = recommendations_for(home)
    assert codes(recs)[0] == "vneid-level2"
    assert recs[0].reason == "Bước đầu tiên: định danh điện tử mức 2 (VNeID)"
    assert recs[0].resident == home.residents.get()
    assert len(recs) == 5


def test_traders_get_payment_merchant_qr_and_e_commerce_first(household):
    home = household((40, SMART), tags=[Tag.BUSINESS])
    recs = recommendations_for(home)
    assert codes(recs)[:3] == ["merchant-qr", "cashless-account", "ecommerce-selling"]
    assert recs[0].reason == "Hộ kinh doanh: chưa nhận thanh toán QR"
    # The same household without the tag gets none of the trader reasons.
    plain = household((40, SMART))
    assert not any(r.reason.startswith("Hộ kinh doanh") for r in recommendations_for(plain, limit=50))


def test_school_families_get_school_fees_learning_and_public_services(household):
    home = household((38, SMART), (10, NO_PHONE), tags=[Tag.SCHOOL_CHILDREN])
    recs = recommendations_for(home)
    assert codes(recs)[:3] == ["school-fee-payment", "online-learning", "vneid-level2"]
    assert "online-dossier" in codes(recs)
    # The parent with the smartphone is the one to help, not the child without a phone.
    parent = home.residents.get(birth_year__lt=2000)
    assert {r.resident for r in recs} == {parent}


def test_elderly_people_get_scam_awareness_telehealth_and_the_health_book(household):
    home = household((72, SMART), tags=[Tag.ELDERLY])
    recs = recommendations_for(home)
    assert codes(recs)[:4] == ["scam-awareness", "telehealth", "health-book", "pension-cashless"]
    assert recs[0].reason.startswith("Người cao tuổi")


def test_feature_phone_owners_never_get_smartphone_only_services(household):
    home = household((55, FEATURE), (68, NO_PHONE))
    recs = recommendations_for(home, limit=50)
    assert recs, "someone with a feature phone can still be helped"
    assert all(not r.service.needs_smartphone for r in recs)
    assert codes(recs)[:3] == ["scam-awareness", "mobile-money", "utility-bill-payment"]
    assert recs[0].reason.startswith("Điện thoại phổ thông")
    assert "vneid-level2" not in codes(recs)


def test_an_elderly_feature_phone_owner_gets_only_what_works_on_the_phone(household):
    home = household((75, FEATURE), tags=[Tag.ELDERLY])
    recs = recommendations_for(home, limit=50)
    assert "telehealth" not in codes(recs) and "health-book" not in codes(recs)
    assert codes(recs)[:2] == ["scam-awareness", "mobile-money"]
    assert "pension-cashless" in codes(recs)


def test_unknown_age_matches_only_rules_without_age_limits(household):
    home = household((None, SMART), consent=False)
    recs = recommendations_for(home, limit=50)
    assert "telehealth" not in codes(recs)  # an elderly rule: needs a known age of 60+
    assert codes(recs)[0] == "vneid-level2"


def test_services_already_used_independently_are_skipped(household, service):
    home = household((30, SMART))
    person = home.residents.get()
    adoptions_raise(resident=person, services=[service("vneid-level2")], state=AdoptionState.INDEPENDENT)
    adoptions_raise(resident=person, services=[service("scam-awareness")], state=AdoptionState.ASSISTED)
    recs = codes(recommendations_for(home))
    assert "vneid-level2" not in recs
    assert "scam-awareness" in recs  # helped once, not yet on their own


def test_the_resident_closest_to_becoming_the_nucleus_is_helped_first(household, service):
    home = household((30, SMART), (45, SMART))
    younger, older = home.residents.order_by("-birth_year")
    adoptions_raise(resident=older, services=[service("scam-awareness")], state=AdoptionState.INDEPENDENT)
    recs = recommendations_for(home)
    assert recs[0].service.code == "vneid-level2" and recs[0].resident == older
    # Once the older one uses VNeID, the younger one is still to be helped with it.
    adoptions_raise(resident=older, services=[service("vneid-level2")], state=AdoptionState.INDEPENDENT)
    recs = recommendations_for(home)
    assert recs[0].service.code == "vneid-level2" and recs[0].resident == younger


def test_a_household_without_residents_gets_household_level_recommendations(household):
    home = household(consent=False)
    recs = recommendations_for(home, limit=50)
    assert codes(recs)[0] == "vneid-level2" and recs[0].resident is None
    assert not any(r.reason.startswith(("Người cao tuổi", "Điện thoại phổ thông")) for r in recs)


def test_a_province_rule_overrides_the_national_rules_of_the_same_service(household, make, service):
    province = make.province()
    village = make.village(make.commune(province))
    home = household((35, SMART), village=village)
    rule = rule_create(
        province=province, service=service("vneid-level2"), tags_any=[], min_age=None, max_age=None, devices=[],
        priority=80, reason="Tỉnh: VNeID sau cùng", actor_id=None,
    )
    recs = recommendations_for(home, limit=50)
    vneid = [r for r in recs if r.service.code == "vneid-level2"]
    assert [r.reason for r in vneid] == ["Tỉnh: VNeID sau cùng"]
    assert codes(recs)[0] == "scam-awareness"
    # Elsewhere the national rule still applies.
    assert codes(recommendations_for(household((35, SMART))))[0] == "vneid-level2"
    # Switching the province's rule off brings the national one back.
    rule_active_set(rule=rule, is_active=False, actor_id=None)
    assert codes(recommendations_for(home))[0] == "vneid-level2"


def test_a_province_service_is_recommended_only_in_its_province(household, make):
    province = make.province()
    village = make.village(make.commune(province))
    app = service_create(
        code="hue-s-test", name="Ứng dụng công dân số của tỉnh", skill="local_platform", province=province,
        actor_id=None,
    )
    rule_create(
        province=province, service=app, tags_any=[], min_age=None, max_age=None, devices=[], priority=1,
        reason="Ứng dụng của tỉnh: phản ánh, nhận thông báo", actor_id=None,
    )
    assert codes(recommendations_for(household((30, SMART), village=village)))[0] == "hue-s-test"
    assert "hue-s-test" not in codes(recommendations_for(household((30, SMART)), limit=50))
    # A national rule pointing at a province's service (made in the admin by mistake) never leaks.
    RecommendationRule.objects.create(service=app, priority=0, reason="nhầm")
    assert "hue-s-test" not in codes(recommendations_for(household((30, SMART)), limit=50))


def test_inactive_rules_and_services_are_not_recommended(household):
    Service.objects.filter(code="vneid-level2").update(is_active=False)
    RecommendationRule.objects.filter(service__code="scam-awareness").update(is_active=False)
    recs = codes(recommendations_for(household((30, SMART)), limit=50))
    assert "vneid-level2" not in recs and "scam-awareness" not in recs


def test_the_order_is_deterministic_priority_then_sort_order(household):
    home = household((30, SMART), (66, FEATURE), tags=[Tag.BUSINESS, Tag.SCHOOL_CHILDREN, Tag.ELDERLY])
    first = recommendations_for(home, limit=50)
    assert first == recommendations_for(home, limit=50)
    matched = {(r.service_id, r.reason): r for r in rules_in_force(None)}
    keys = [(matched[(r.service.pk, r.reason)].priority, r.service.sort_order) for r in first]
    assert keys == sorted(keys)
    assert len(set(codes(first))) == len(first)  # each service once


def test_limit_and_query_count(household, django_assert_max_num_queries):
    home = household((30, SMART), (65, FEATURE), tags=[Tag.BUSINESS])
    assert len(recommendations_for(home, limit=2)) == 2
    with django_assert_max_num_queries(4):
        recommendations_for(home)
