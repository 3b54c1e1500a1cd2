"""VietQR payloads decode back to the same bank, account and amount; any input gives a payload
with a valid CRC or a clear Vietnamese ValidationError; the sign is a printable A5 SVG."""

import xml.etree.ElementTree as ET

import pytest
import segno
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from vietnam_qr_pay import QRPay

from congdongso.catalog import vietqr

CASES = [
    ("vietinbank", "1133 6666 8888", "79.000đ", "Tiền hàng tháng 5", "970415", "113366668888", 79000, "Tien hang thang 5"),
    ("vietcombank", "0011-0023-45678", None, "", "970436", "0011002345678", None, ""),
    ("agribank", "5100205123456", "1500000", "Đặng Thị Đào trả nợ", "970405", "5100205123456", 1500000, "Dang Thi Dao tra no"),
    ("mbbank", "nguyenvana", 50_000, "ĐÓNG HỌC PHÍ", "970422", "NGUYENVANA", 50000, "DONG HOC PHI"),
]


@pytest.mark.parametrize(("bank", "account", "amount", "purpose", "bin_", "clean", "value", "folded"), CASES)
def test_the_payload_decodes_back_to_the_same_bank_account_and_amount(
    bank, account, amount, purpose, bin_, clean, value, folded
):
    payload = vietqr.payload_build(bank_key=bank, account=account, amount=amount, purpose=purpose)
    assert payload.isascii()
    # With vietnam-qr-pay's own parser (it checks the CRC first) ...
    parsed = QRPay(payload)
    assert parsed.is_valid
    assert parsed.provider.guid == "A000000727"  # NAPAS VietQR
    assert (parsed.consumer.bank_bin, parsed.consumer.bank_number) == (bin_, clean)
    assert parsed.amount == (str(value) if value else None)
    assert (parsed.additional_data.purpose or "") == folded
    assert parsed.currency == "704" and parsed.nation == "VN"
    # ... and with our independent EMV reader and CRC-16/CCITT.
    decoded = vietqr.payload_decode(payload)
    assert decoded == vietqr.Decoded(bank_bin=bin_, account=clean, amount=value, purpose=folded)
    # A static sign (no amount) is "11", a sign with a fixed amount is "12".
    assert payload[6:12] == ("010212" if value else "010211")


def test_a_changed_character_breaks_the_crc():
    payload = vietqr.payload_build(bank_key="bidv", account="12345678901", amount=10000)
    assert vietqr.crc_ok(payload)
    tampered = payload.replace("12345678901", "12345678902")
    assert not vietqr.crc_ok(tampered) and vietqr.payload_decode(tampered) is None
    assert not QRPay(tampered).is_valid


def test_the_crc_matches_the_reference_check_value():
    # CRC-16/CCITT-FALSE of "123456789" is 0x29B1 (the catalogue check value).
    assert vietqr.crc16_ccitt(b"123456789") == 0x29B1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bank_key": "ngan-hang-ma"}, "Ngân hàng không có trong danh sách"),
        ({"bank_key": "bidc"}, "Ngân hàng không có trong danh sách"),  # VietQR not supported
        ({"bank_key": "dongabank"}, "Ngân hàng không có trong danh sách"),  # deprecated
        ({"account": ""}, "Cần nhập số tài khoản."),
        ({"account": "12345"}, "từ 6 đến 19 ký tự"),
        ({"account": "1" * 20}, "từ 6 đến 19 ký tự"),
        ({"account": "0123 456 789 đ"}, "chỉ gồm chữ số"),
        ({"account": "9704 0000 0000 0018"}, "Đây là số thẻ ngân hàng"),
        ({"amount": "năm chục"}, "Số tiền chỉ gồm chữ số"),
        ({"amount": "-5000"}, "Số tiền chỉ gồm chữ số"),
        ({"amount": "0"}, "Số tiền phải từ 1 đồng"),
        ({"amount": "99999999999999"}, "Số tiền phải từ 1 đồng"),
        ({"purpose": "Thanh toán tiền hàng tháng năm hai nghìn"}, "tối đa 25 ký tự"),
        ({"purpose": "a\x00b"}, "ký tự NUL"),
    ],
)
def test_bad_input_is_a_vietnamese_validation_error(kwargs, message):
    args = {"bank_key": "vietinbank", "account": "113366668888", **kwargs}
    with pytest.raises(ValidationError, match=message):
        vietqr.payload_build(**args)


@settings(max_examples=300, deadline=None)
@given(account=st.text(max_size=40), purpose=st.text(max_size=60), amount=st.one_of(st.none(), st.text(max_size=20)))
def test_any_input_gives_a_valid_payload_or_a_clear_error(account, purpose, amount):
    try:
        payload = vietqr.payload_build(bank_key="vietcombank", account=account, amount=amount, purpose=purpose)
    except ValidationError as exc:
        assert exc.messages and all(message.strip() for message in exc.messages)
        return
    assert payload.isascii() and vietqr.crc_ok(payload)
    decoded = vietqr.payload_decode(payload)
    assert decoded is not None and decoded.bank_bin == "970436"
    assert decoded.account == vietqr.clean_account(account)
    assert decoded.amount == vietqr.clean_amount(amount)
    assert QRPay(payload).is_valid


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80))
def test_folding_leaves_only_ascii_letters_digits_and_spaces(text):
    try:
        purpose = vietqr.clean_purpose(text)
    except ValidationError:
        return
    assert purpose.isascii() and all(ch.isalnum() or ch == " " for ch in purpose)
    assert purpose == purpose.strip() and "  " not in purpose


def test_the_bank_list_comes_from_vietnam_qr_pay_and_only_holds_banks_that_can_receive():
    banks = vietqr.banks()
    keys = {bank.key for bank in banks}
    assert {"vietcombank", "vietinbank", "bidv", "agribank", "mbbank", "techcombank"} <= keys
    assert "bidc" not in keys and "dongabank" not in keys
    assert all(len(bank.bin) == 6 and bank.bin.isdigit() for bank in banks)


def test_the_sign_is_an_a5_svg_with_the_qr_shop_bank_and_holder_name_escaped():
    payload = vietqr.payload_build(bank_key="vietinbank", account="113366668888", amount=79000)
    svg = vietqr.sign_svg(
        payload=payload, bank=vietqr.bank_by_key("vietinbank"), account="113366668888",
        account_name="Nguyễn Thị <Hoa>", shop_name="Tạp hóa Cô Hoa & con", amount=79000,
    )
    root = ET.fromstring(svg.encode())  # well-formed XML despite < and & in the names
    ns = "{http://www.w3.org/2000/svg}"
    assert (root.get("width"), root.get("height")) == ("148mm", "210mm")
    texts = [el.text for el in root.iter(f"{ns}text")]
    assert "Tạp hóa Cô Hoa & con" in texts
    assert "NGUYỄN THỊ <HOA>" in texts
    assert "VietinBank" in texts and "1133 6666 8888" in texts
    assert "Số tiền: 79.000 đ" in texts
    # The drawn modules are exactly segno's QR code of the payload.
    path = next(root.iter(f"{ns}path")).get("d")
    matrix = [list(row) for row in segno.make(payload, error="m", micro=False).matrix_iter(border=0)]
    dark = sum(sum(1 for cell in row if cell) for row in matrix)
    widths = [int(run.split("h")[1].split("v")[0]) for run in path.split("M")[1:]]
    assert sum(widths) == dark
