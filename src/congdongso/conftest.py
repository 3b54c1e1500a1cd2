import os

import pytest

from congdongso.testing import browser, factories, twofactor


def pytest_configure(config):
    # The test client's login() and force_login() count as a whole sign-in, code included (see testing.twofactor).
    twofactor.trust_test_client_logins()
    browser.live_server_one_request_at_a_time()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started once the test database exists. On SQLite in memory its
    threads then share the test's connection (as Django's LiveServerTestCase does); started before,
    they would open their own connections to the shared in-memory cache, whose table locks fail at
    once ("database table is locked") instead of waiting."""
    return live_server


# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around
# it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _default_language():
    """A request with the English cookie leaves English active on the test's thread; every test starts in
    Vietnamese, the product's default, whatever ran before it on the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make():
    return factories


@pytest.fixture
def two_communes(db):
    """Two communes of one province, each with a village, a team and a commune officer."""
    from congdongso.accounts.models import Role

    province = factories.province()
    a = factories.commune(province, name="Xã An Bình")
    b = factories.commune(province, name="Xã Bình Minh")
    village_a = factories.village(a, name="Thôn Đông")
    village_b = factories.village(b, name="Thôn Tây")
    return {
        "province": province, "a": a, "b": b, "village_a": village_a, "village_b": village_b,
        "team_a": factories.team(village_a), "team_b": factories.team(village_b),
        "officer_a": factories.user(Role.COMMUNE_OFFICER, a), "officer_b": factories.user(Role.COMMUNE_OFFICER, b),
    }


@pytest.fixture(autouse=True)
def _national_catalogue(request):
    """Migrations seed the national catalogue (and indicators) once, but a transactional (browser) test empties the
    database when it ends; put the seed back for whatever test runs next on that worker."""
    uses_db = request.node.get_closest_marker("django_db") is not None or {
        "db", "transactional_db"
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from congdongso.catalog.seed import national_catalogue_ensure

    national_catalogue_ensure()
    from congdongso.indicators.models import Indicator
    from congdongso.indicators.seed import national_indicators_ensure

    national_indicators_ensure(Indicator)
