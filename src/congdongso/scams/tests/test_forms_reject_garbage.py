"""Every scams form refuses unclear input with a Vietnamese message and writes nothing; never a 500."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdongso.scams import identifiers, services
from congdongso.scams.models import Channel, Report, Source, Tactic
from congdongso.scams.tests.conftest import scams_state
from congdongso.testing.forms import ENGLISH_LEAKS, LONG, NUL, SCRIPT

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NUL_MESSAGE = "Có ký tự không hợp lệ (ký tự NUL)."


def refused(client, url: str, data: dict, expected, status: int = 200) -> str:
    before = scams_state()
    response = client.post(url, data)
    assert response.status_code == status, f"{url} answered {response.status_code} to {data!r:.200}"
    text = html.unescape(response.content.decode())
    phrases = expected if isinstance(expected, tuple) else (expected,)
    assert any(p in text for p in phrases), f"{expected!r} not on the page for {data!r:.200}"
    assert not [leak for leak in ENGLISH_LEAKS if leak in text]
    assert scams_state() == before, "a refused form wrote to the database"
    return text


REPORT_OK = {"kind": "phone", "value": "0912 345 678", "channel": "call"}
REPORT_CASES = [
    ({"value": ""}, "Cần nhập số điện thoại, trang web"),
    ({"value": "   "}, "Cần nhập số điện thoại, trang web"),
    ({"value": "0912"}, "Số điện thoại không hợp lệ"),
    ({"value": NUL}, NUL_MESSAGE),
    ({"value": LONG[:400]}, "Nội dung quá dài (tối đa 300 ký tự)."),
    ({"value": SCRIPT}, "Số điện thoại không hợp lệ"),
    ({"kind": "website", "value": "không phải trang web"}, "Địa chỉ trang web không hợp lệ"),
    ({"kind": "website", "value": "javascript:alert(1)"}, "Địa chỉ trang web không hợp lệ"),
    ({"kind": "bank_account", "value": "0123456789"}, "Cần chọn ngân hàng của tài khoản."),
    ({"kind": "bank_account", "value": "12", "bank": "970436"}, "Số tài khoản không hợp lệ"),
    ({"kind": "bank_account", "value": "0123456789", "bank": "nothing"}, "Lựa chọn không hợp lệ."),
    ({"kind": "social", "value": "abc"}, "Cần chọn mạng xã hội."),
    ({"kind": "social", "value": "a b c !!", "platform": "facebook"}, "Tên tài khoản hoặc đường dẫn trang cá nhân không hợp lệ."),
    ({"kind": "pigeon"}, "Lựa chọn không hợp lệ."),
    ({"kind": ""}, "Trường này không được để trống."),
    ({"channel": "telepathy"}, "Lựa chọn không hợp lệ."),
    ({"tactic": "999999"}, "Lựa chọn không hợp lệ."),
    ({"tactic": "abc"}, "Lựa chọn không hợp lệ."),
    ({"province": "abc"}, "Lựa chọn không hợp lệ."),
    ({"details": "x" * 2500}, "Nội dung quá dài (tối đa 2000 ký tự)."),
    ({"details": NUL}, NUL_MESSAGE),
    ({"contact": "0987654321"}, "Cần đánh dấu đồng ý"),
    ({"contact": "x" * 300, "consent": "on"}, "Thông tin liên hệ quá dài"),
]


@pytest.mark.parametrize(("change", "expected"), REPORT_CASES, ids=[f"{next(iter(c))}-{i}" for i, (c, _) in enumerate(REPORT_CASES)])
def test_report_form_refuses(client, change, expected):
    refused(client, "/scams/report/", {**REPORT_OK, **change}, expected)


@HYPOTHESIS
@given(
    kind=st.sampled_from(["phone", "website", "bank_account", "social", "x"]),
    value=st.text(max_size=320), bank=st.text(max_size=8), platform=st.text(max_size=10), details=st.text(max_size=50),
)
def test_any_report_is_saved_or_refused_never_a_500(client, kind, value, bank, platform, details):
    count = Report.objects.count()
    response = client.post(
        "/scams/report/",
        {"kind": kind, "value": value, "bank": bank, "platform": platform, "channel": "sms", "details": details},
        REMOTE_ADDR=f"10.0.{count % 250}.{len(value) % 250}",
    )
    assert response.status_code in (200, 302, 429)
    assert Report.objects.count() == count + (response.status_code == 302)


@pytest.mark.parametrize(
    ("message", "expected"),
    [("", "Hãy dán nội dung tin nhắn"), ("   \n ", "Hãy dán nội dung tin nhắn"), (NUL, NUL_MESSAGE),
     ("x" * 5001, "Tin nhắn quá dài (tối đa 5000 ký tự).")],
)
def test_check_form_refuses(client, message, expected):
    refused(client, "/scams/check/", {"message": message}, expected)


def test_lookup_page_refuses_nothing_badly(client):
    for q in ["", NUL, LONG, SCRIPT, "%00", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]:
        response = client.get("/scams/", {"q": q})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()


@pytest.fixture
def moderator(client, world):
    client.force_login(world["province_officer"])
    report = services.report_submit(
        identifier=identifiers.phone("0912345678"), source=Source.PUBLIC, channel=Channel.CALL, unit=world["commune"]
    )
    return client, report


@pytest.mark.parametrize(
    ("data", "expected"),
    [({}, "Cần chọn xác nhận hoặc bác bỏ."), ({"decision": "confirm"}, "Cần ghi lý do."),
     ({"decision": "maybe", "reason": "abc"}, "Lựa chọn không hợp lệ."), ({"decision": "reject", "reason": "ab"}, "ít nhất 3 ký tự"),
     ({"decision": "reject", "reason": NUL}, NUL_MESSAGE), ({"decision": "reject", "reason": LONG}, "Lý do quá dài")],
)
def test_decision_form_refuses(moderator, data, expected):
    client, report = moderator
    refused(client, reverse("scams:report_detail", args=[report.pk]), data, expected)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [("entity_merge", {}, "Cần nhập đối tượng cần gộp vào."), ("entity_merge", {"target": NUL}, NUL_MESSAGE),
     ("entity_merge", {"target": LONG}, "Nội dung quá dài."), ("entity_merge", {"target": "???"}, "Không tìm thấy"),
     ("entity_tactic", {"tactic": "-1"}, "Lựa chọn không hợp lệ."), ("entity_unlist", {"reason": ""}, "Cần ghi lý do."),
     ("entity_unlist", {"reason": "đủ lý do rồi"}, "không có trong danh sách nhập")],
)
def test_entity_forms_refuse(moderator, name, data, expected):
    client, report = moderator
    refused(client, reverse(f"scams:{name}", args=[report.entity_id]), data, expected, status=400)


TACTIC_OK = {"code": "moi-thu", "name": "Thủ đoạn thử", "explanation": "Vì sao", "advice": "Nên làm gì", "keywords": "a b", "is_active": "on"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [({"code": ""}, "Cần nhập mã."), ({"code": "có dấu"}, "Mã chỉ gồm chữ không dấu"), ({"name": " "}, "Cần nhập tên thủ đoạn."),
     ({"explanation": ""}, "Cần giải thích vì sao đáng ngờ."), ({"advice": ""}, "Cần nhập lời khuyên."),
     ({"keywords": "***"}, "Dòng 1 không có từ nào để tìm"), ({"keywords": "a + b + c + d + e"}, "quá nhiều vế"),
     ({"keywords": "x" * 300}, "Dòng 1 quá dài"), ({"name": NUL}, NUL_MESSAGE), ({"code": "yeu-cau-ma-otp"}, "Mã thủ đoạn này đã được dùng.")],
)
def test_tactic_form_refuses(client, world, starter_tactics, change, expected):
    client.force_login(world["province_officer"])
    refused(client, reverse("scams:tactic_create"), {**TACTIC_OK, **change}, expected)


def test_tactic_form_saves_and_edits(client, world, starter_tactics):
    client.force_login(world["province_officer"])
    assert client.post(reverse("scams:tactic_create"), TACTIC_OK).status_code == 302
    tactic = Tactic.objects.get(code="moi-thu")
    assert tactic.updated_by == world["province_officer"]
    url = reverse("scams:tactic_edit", args=[tactic.pk])
    assert client.post(url, {**TACTIC_OK, "hotlines": "Số do cán bộ nhập"}).status_code == 302
    tactic.refresh_from_db()
    assert tactic.hotlines == "Số do cán bộ nhập"
    refused(client, url, {**TACTIC_OK, "code": "yeu-cau-ma-otp"}, "Mã thủ đoạn này đã được dùng.")


def _alert_data(world, **change):
    today = timezone.localdate()
    return {"unit": world["province"].pk, "title": "Cảnh báo", "message": "Nội dung", "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=7)).isoformat(), **change}


@pytest.mark.parametrize(
    ("change", "expected"),
    [({"title": ""}, "Cần nhập tiêu đề cảnh báo."), ({"title": "  "}, "Cần nhập tiêu đề cảnh báo."),
     ({"title": LONG}, "Tiêu đề quá dài"), ({"message": ""}, "Cần nhập nội dung cần nói với người dân."),
     ({"message": NUL}, NUL_MESSAGE), ({"valid_from": "31/02/2026"}, "Ngày không hợp lệ (dd/mm/yyyy)."),
     ({"valid_until": "hôm qua"}, "Ngày không hợp lệ (dd/mm/yyyy)."), ({"valid_until": "2000-01-01"}, "không được trước ngày bắt đầu"),
     ({"valid_from": "2000-01-01", "valid_until": "2000-01-02"}, "Ngày hết hiệu lực đã qua."),
     ({"valid_until": "2099-01-01"}, "tối đa một năm"), ({"unit": "abc"}, "Lựa chọn không hợp lệ."),
     ({"tactic": "0"}, "Lựa chọn không hợp lệ.")],
)
def test_alert_form_refuses(client, world, change, expected):
    client.force_login(world["province_officer"])
    refused(client, reverse("scams:alert_create"), _alert_data(world, **change), expected)
