"""The message checker finds numbers, links, accounts and tactics, explains each, and raises no false alarm."""

import pytest

from congdongso.scams import checker, identifiers, services
from congdongso.scams.models import Channel, Source, Status, Tactic

pytestmark = pytest.mark.django_db

SCAM = (
    "[CONG AN TINH] Tai khoan cua ban lien quan den vu an rua tien. Lien he ngay 0912 345 678 "
    "hoac truy cap http://congan-xacminh.com/vneid de xac minh. Vui long cung cap ma OTP de duoc ho tro."
)
MEETING = (
    "Thông báo: 15h chiều nay họp thôn tại nhà văn hóa. Bà con nhớ mang căn cước để được hướng dẫn cài đặt "
    "VNeID và thanh toán tiền điện qua ứng dụng. Cần hỏi gì liên hệ chị Lan 0987 654 321."
)
BANK_OTP = (
    "Ma OTP cua Quy khach la 482913 de xac nhan giao dich chuyen tien 1.500.000d tai Vietcombank. "
    "Tuyet doi KHONG cung cap ma nay cho bat ky ai, ke ca nhan vien ngan hang."
)
BANK_OTP_ACCENTED = (
    "Mã OTP của Quý khách là 482913. Ngân hàng không bao giờ yêu cầu Quý khách cung cấp mã OTP. "
    "Không chia sẻ mã này cho bất kỳ ai."
)


def _report(raw: str, status: str = "") -> None:
    report = services.report_submit(
        identifier=identifiers.parse_query(raw).identifiers[0], source=Source.PUBLIC, channel=Channel.SMS
    )
    if status == Status.CONFIRMED:
        from congdongso.scams.models import Report

        Report.objects.filter(pk=report.pk).update(status="confirmed")
        services._refresh(report.entity)


def test_the_scam_message_is_taken_apart_and_each_part_explained(starter_tactics):
    _report("0912345678", Status.CONFIRMED)
    _report("congan-xacminh.com")
    result = checker.check_message(SCAM)
    assert result.verdict == checker.DANGER
    by_kind = {}
    for finding in result.findings:
        by_kind.setdefault(finding.kind, []).append(finding)

    phone = by_kind["phone"][0]
    assert phone.found == "0912 345 678" and phone.status == Status.CONFIRMED
    assert "xác nhận là lừa đảo" in phone.explanation and phone.advice

    link = by_kind["website"][0]
    assert link.found == "http://congan-xacminh.com/vneid" and link.status == Status.VERIFYING
    assert "xác minh" in link.explanation

    tactics = {f.title: f for f in by_kind["tactic"]}
    otp = tactics[starter_tactics["yeu-cau-ma-otp"].name]
    assert otp.found.lower() == "cung cap ma otp"
    assert otp.explanation == starter_tactics["yeu-cau-ma-otp"].explanation
    assert otp.advice == starter_tactics["yeu-cau-ma-otp"].advice
    assert starter_tactics["gia-danh-co-quan-chuc-nang"].name in tactics


def test_unknown_numbers_and_links_are_found_but_raise_no_alarm_by_themselves(starter_tactics):
    result = checker.check_message("Rau sach giao tan nha: goi 0912 345 678 hoac xem http://rau-sach-que.vn/bang-gia.")
    kinds = [f.kind for f in result.findings]
    assert kinds == ["phone", "website"]
    assert result.findings[1].found == "http://rau-sach-que.vn/bang-gia"
    assert {f.status for f in result.findings} == {Status.NO_REPORTS}
    assert result.verdict == checker.NO_ALARM


@pytest.mark.parametrize("message", [MEETING, BANK_OTP, BANK_OTP_ACCENTED], ids=["meeting", "bank-otp", "bank-otp-accented"])
def test_harmless_messages_get_no_false_alarm(starter_tactics, message):
    result = checker.check_message(message)
    assert result.verdict == checker.NO_ALARM, [(f.kind, f.title, f.found) for f in result.findings]
    assert not [f for f in result.findings if f.kind == "tactic"]


def test_bank_accounts_in_a_message_are_found_with_their_bank(starter_tactics):
    services.report_submit(
        identifier=identifiers.bank_account("970436", "0123456789"), source=Source.PUBLIC, channel=Channel.SMS
    )
    result = checker.check_message("Con dang cap cuu, me chuyen khoan gap vao STK 0123 456 789 Vietcombank nhe")
    accounts = [f for f in result.findings if f.kind == "bank_account"]
    assert [(a.title, a.status) for a in accounts] == [("Vietcombank · 0123456789", Status.VERIFYING)]
    assert any(f.kind == "tactic" for f in result.findings)
    # Without a bank name the number is still looked up across banks.
    loose = checker.check_message("chuyen tien vao so tai khoan 0123456789 gap")
    assert [f.status for f in loose.findings if f.kind == "bank_account"] == [Status.VERIFYING]


def test_advice_and_hotlines_come_from_the_tactic_list(starter_tactics):
    tactic = starter_tactics["yeu-cau-ma-otp"]
    Tactic.objects.filter(pk=tactic.pk).update(advice="Lời khuyên do cán bộ nhập.", hotlines="Số do cán bộ nhập")
    finding = next(f for f in checker.check_message("Em oi doc ma OTP cho anh nhe").findings if f.kind == "tactic")
    assert (finding.advice, finding.hotlines) == ("Lời khuyên do cán bộ nhập.", "Số do cán bộ nhập")
    # An exclusion written by an officer clears the tactic for messages containing it.
    Tactic.objects.filter(pk=tactic.pk).update(exclusions="doc ma OTP cho anh")
    assert not [f for f in checker.check_message("Em oi doc ma OTP cho anh nhe").findings if f.kind == "tactic"]
    # A tactic switched off is not used.
    Tactic.objects.filter(pk=tactic.pk).update(exclusions="", is_active=False)
    assert not [f for f in checker.check_message("Em oi doc ma OTP cho anh nhe").findings if f.kind == "tactic"]


def test_no_hotline_numbers_are_seeded(starter_tactics):
    assert all(t.hotlines == "" for t in starter_tactics.values())


def test_the_check_page_and_api_explain_the_message(client, starter_tactics):
    page = client.post("/scams/check/", {"message": SCAM})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-verdict="danger"' in html and "0912 345 678" in html and "congan-xacminh.com" in html
    body = client.post("/api/v1/scams/check", {"message": SCAM}, content_type="application/json").json()
    assert body["verdict"] == "danger"
    assert {f["kind"] for f in body["findings"]} >= {"phone", "website", "tactic"}
    harmless = client.post("/api/v1/scams/check", {"message": MEETING}, content_type="application/json").json()
    assert harmless["verdict"] == "no_alarm"
    empty = client.post("/api/v1/scams/check", {"message": "  "}, content_type="application/json")
    assert empty.status_code == 422 and empty.json()["error"]["message"].startswith("Tin nhắn")


def test_the_checker_never_raises_on_odd_text(starter_tactics):
    for text in ["", "\x00", "🙂" * 3000, "STK " + "1" * 5000, "http://" * 500, "0" * 6000, "a.b." * 2000, "@@@..."]:
        result = checker.check_message(text)
        assert result.verdict in (checker.DANGER, checker.CAUTION, checker.NO_ALARM)
