import pytest
from django.core.cache import cache

from congdongso.testing.browser import browser, order_browser_tests_last, page  # noqa: F401


def pytest_collection_modifyitems(session, config, items):
    order_browser_tests_last(items)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits count in the cache: every test starts from none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(make):
    """One province: commune A (village Thôn Đông with a team, a member with a login and a household
    that consented) and commune B (village Thôn Tây, its own officer)."""
    from congdongso.accounts.models import Role
    from congdongso.households.models import ConsentMethod, ConsentPurpose
    from congdongso.households.services import consent_record, household_create, household_details_set

    province = make.province(name="Tỉnh Thử Nghiệm")
    a = make.commune(province, name="Xã An Bình")
    b = make.commune(province, name="Xã Bình Minh")
    village = make.village(a, name="Thôn Đông")
    other_village = make.village(a, name="Thôn Bắc")
    village_b = make.village(b, name="Thôn Tây")
    team = make.team(village, name="Tổ CNSCĐ Thôn Đông")
    member_user = make.user(Role.MEMBER, village, username="thanhvien-dong")
    membership = make.member(team, name="Lê Văn Tâm", user=member_user)
    household = household_create(village=village, resident_count=3, actor_id=None)
    consent_record(
        household=household, given_by="Trần Thị Lan", method=ConsentMethod.SPOKEN,
        purposes=[ConsentPurpose.DIGITAL_SUPPORT, ConsentPurpose.CONTACT], actor_id=None,
    )
    household_details_set(household=household, head_name="Trần Thị Lan", address_line="Số 5, ngõ 2", phone="", actor_id=None)
    return {
        "province": province, "a": a, "b": b, "village": village, "other_village": other_village,
        "village_b": village_b, "team": team, "member_user": member_user, "membership": membership,
        "household": household,
        "officer_a": make.user(Role.COMMUNE_OFFICER, a, username="canbo-anbinh"),
        "officer_b": make.user(Role.COMMUNE_OFFICER, b, username="canbo-binhminh"),
        "province_officer": make.user(Role.PROVINCE_OFFICER, province, username="canbo-tinh"),
    }


@pytest.fixture
def submit_report():
    """Submit a report through the service (the public form is tested on its own)."""
    from congdongso.feedback.services import report_submit

    def submit(unit, category="home_visit", text="Nhà tôi có người già cần cài VNeID.", **contact):
        return report_submit(category=category, unit=unit, text=text, **contact)

    return submit


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1; `.messages` holds what it received."""
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 Message accepted for delivery"

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    sink.host, sink.port = controller.hostname, controller.port
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def webhook_server():
    """A local HTTP server; set `.status` to choose its answer, read `.requests` (headers, body)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Hook:
        status = 200
        requests: list

    hook = Hook()
    hook.requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hook.requests.append((dict(self.headers), body))
            self.send_response(hook.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
