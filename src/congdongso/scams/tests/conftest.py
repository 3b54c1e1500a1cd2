import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache

from congdongso.accounts.models import Role
from congdongso.testing.browser import browser, order_browser_tests_last, page  # noqa: F401

_seed = importlib.import_module("congdongso.scams.migrations.0002_starter_tactics")


def pytest_collection_modifyitems(session, config, items):
    order_browser_tests_last(items)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits live in the cache and the status advice in process memory: every test starts from none.
    from congdongso.scams.lookup import forget_status_advice

    cache.clear()
    forget_status_advice()
    yield
    cache.clear()
    forget_status_advice()


@pytest.fixture
def starter_tactics(db):
    """The tactic list and status advice the data migration seeds (a transactional test's flush
    removes migration data, so tests that read it seed it again)."""
    _seed.seed(django_apps, None)
    from congdongso.scams.models import Tactic

    return {t.code: t for t in Tactic.objects.all()}


@pytest.fixture
def world(db, make):
    """A province with two communes; a village team with a member in the first; officers of each level;
    and a second province with its own officer."""
    province = make.province(name="Tỉnh Thử Nghiệm")
    commune = make.commune(province, name="Xã An Bình")
    other_commune = make.commune(province, name="Xã Bình Minh")
    village = make.village(commune, name="Thôn Đông")
    team = make.team(village, name="Tổ CNSCĐ Thôn Đông")
    member_user = make.user(Role.MEMBER, village)
    make.member(team, name="Nguyễn Thị Lan", user=member_user)
    far_province = make.province(name="Tỉnh Xa Xôi")
    far_commune = make.commune(far_province, name="Xã Xa")
    return {
        "province": province, "commune": commune, "other_commune": other_commune, "village": village,
        "team": team, "member": member_user, "far_province": far_province, "far_commune": far_commune,
        "province_officer": make.user(Role.PROVINCE_OFFICER, province),
        "commune_officer": make.user(Role.COMMUNE_OFFICER, commune),
        "far_officer": make.user(Role.PROVINCE_OFFICER, far_province),
        "admin": make.user(Role.NATIONAL_ADMIN),
    }


def scams_state() -> dict:
    """Every row of the scams tables and the audit trail: equal before and after means nothing was written."""
    from congdongso.audit.models import AuditEvent

    models = [m for m in django_apps.get_app_config("scams").get_models()] + [AuditEvent]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
