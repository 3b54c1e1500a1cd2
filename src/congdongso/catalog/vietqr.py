"""VietQR for business households: a payload any Vietnamese banking app can scan, and a printable
A5 sign (SVG) drawn with segno.

The payload is built with `vietnam-qr-pay` (EMVCo merchant-presented QR, NAPAS VietQR, transfer to
an account). That library neither validates its input nor strips Vietnamese accents, and EMV
lengths are two digits, so everything is checked and ASCII-folded here first; bad input answers a
Vietnamese `ValidationError`, never a crash and never a payload with a wrong length or CRC.
"""

import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

import segno
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from vietnam_qr_pay import BanksObject, QRPay
from vietnam_qr_pay.constants import VietQRStatus

ACCOUNT_MIN, ACCOUNT_MAX = 6, 19
# NAPAS VietQR: at most 25 characters of transfer content, 13 digits of amount.
PURPOSE_MAX = 25
AMOUNT_MAX = 9_999_999_999_999
NAME_MAX = 50
SHOP_MAX = 60

_SPACES = re.compile(r"\s+")
_ACCOUNT_SEPARATORS = re.compile(r"[\s.\-]")
_AMOUNT_SEPARATORS = re.compile(r"[\s.,]")
_AMOUNT_SUFFIX = re.compile(r"(vnđ|vnd|đồng|dong|đ|d)$", re.IGNORECASE)
# Characters every banking app accepts in the transfer content.
_PURPOSE_KEEP = re.compile(r"[^A-Za-z0-9 ]")


@dataclass(frozen=True)
class Bank:
    key: str
    bin: str
    short_name: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.short_name} — {self.name}"


def banks() -> list[Bank]:
    """Banks that can receive a VietQR transfer (the list of vietnam-qr-pay), by short name."""
    found = [
        Bank(key=bank.key.value, bin=bank.bin, short_name=bank.short_name, name=bank.name)
        for bank in BanksObject.values()
        if bank.bin and not bank.deprecated and bank.viet_qr_status != VietQRStatus.NOT_SUPPORTED
    ]
    return sorted(found, key=lambda b: b.short_name.casefold())


def bank_by_key(key: str) -> Bank | None:
    return next((bank for bank in banks() if bank.key == key), None)


def bank_by_bin(bin_: str) -> Bank | None:
    return next((bank for bank in banks() if bank.bin == bin_), None)


def ascii_fold(text: str) -> str:
    """"Tiền hàng tháng 5" -> "Tien hang thang 5": accents off, case kept, one space between words."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text).strip()


def clean_account(raw: str) -> str:
    """"0123 456.789-0" -> "01234567890"; letters (alias accounts) are upper-cased."""
    account = _ACCOUNT_SEPARATORS.sub("", raw or "").upper()
    if not account:
        raise ValidationError(_("Cần nhập số tài khoản."), code="account_required")
    if not (account.isascii() and account.isalnum()):
        raise ValidationError(_("Số tài khoản chỉ gồm chữ số (hoặc chữ cái không dấu)."), code="account_chars")
    if _looks_like_a_card(account):
        raise ValidationError(
            _("Đây là số thẻ ngân hàng, không phải số tài khoản. Không ghi số thẻ; hãy nhập số tài khoản."),
            code="card_number",
        )
    if not ACCOUNT_MIN <= len(account) <= ACCOUNT_MAX:
        raise ValidationError(
            _("Số tài khoản phải có từ %(min)s đến %(max)s ký tự.") % {"min": ACCOUNT_MIN, "max": ACCOUNT_MAX},
            code="account_length",
        )
    return account


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _looks_like_a_card(account: str) -> bool:
    """A domestic (NAPAS) card number: 9704…, 16 or 19 digits, Luhn-valid. Card data is never
    collected, not even to print a sign."""
    return account.isdigit() and account.startswith("9704") and len(account) in (16, 19) and _luhn_ok(account)


def clean_amount(raw: str | int | None) -> int | None:
    """"50.000", "50,000 đ", "50000" -> 50000; empty -> None (the payer types the amount)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = _AMOUNT_SUFFIX.sub("", _AMOUNT_SEPARATORS.sub("", raw).strip())
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise ValidationError(_("Số tiền chỉ gồm chữ số, ví dụ 50000 hoặc 50.000."), code="amount_chars")
        value = int(text[:20])
    if not 1 <= value <= AMOUNT_MAX:
        raise ValidationError(_("Số tiền phải từ 1 đồng đến 9.999 tỷ đồng."), code="amount_range")
    return value


def clean_purpose(raw: str) -> str:
    """The transfer content, ASCII-folded: only letters, digits and spaces remain."""
    if "\x00" in (raw or ""):
        raise ValidationError(_("Có ký tự không hợp lệ (ký tự NUL)."), code="null")
    purpose = _SPACES.sub(" ", _PURPOSE_KEEP.sub(" ", ascii_fold(raw))).strip()
    if len(purpose) > PURPOSE_MAX:
        raise ValidationError(
            _("Nội dung chuyển khoản tối đa %(max)s ký tự không dấu.") % {"max": PURPOSE_MAX}, code="purpose_length"
        )
    return purpose


def payload_build(*, bank_key: str, account: str, amount: int | str | None = None, purpose: str = "") -> str:
    """The VietQR text to put in the QR code. Raises a Vietnamese ValidationError on bad input."""
    bank = bank_by_key(bank_key or "")
    if bank is None:
        raise ValidationError(_("Ngân hàng không có trong danh sách hỗ trợ VietQR."), code="bank")
    account = clean_account(account)
    value = clean_amount(amount)
    purpose = clean_purpose(purpose)
    qr = QRPay.init_viet_qr(
        bank_bin=bank.bin, bank_number=account, amount=str(value) if value else None, purpose=purpose or None
    )
    return qr.build()


# --- reading a payload back (EMV tag-length-value with CRC-16/CCITT-FALSE) -------------------------


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as EMVCo QR specifies."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def crc_ok(payload: str) -> bool:
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    try:
        expected = int(payload[-4:], 16)
    except ValueError:
        return False
    return crc16_ccitt(payload[:-4].encode()) == expected


def tlv(text: str) -> dict[str, str] | None:
    """EMV tag-length-value fields of one level; None when the lengths do not add up."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(text):
        tag, size = text[i : i + 2], text[i + 2 : i + 4]
        if len(tag) < 2 or not size.isdigit():
            return None
        value = text[i + 4 : i + 4 + int(size)]
        if len(value) != int(size):
            return None
        fields[tag] = value
        i += 4 + int(size)
    return fields


@dataclass(frozen=True)
class Decoded:
    bank_bin: str
    account: str
    amount: int | None
    purpose: str


def payload_decode(payload: str) -> Decoded | None:
    """Read bank BIN, account, amount and content back from a VietQR payload; None if invalid."""
    if not crc_ok(payload):
        return None
    root = tlv(payload)
    if root is None or "38" not in root:
        return None
    merchant = tlv(root["38"]) or {}
    beneficiary = tlv(merchant.get("01", "")) or {}
    extra = tlv(root.get("62", "")) or {}
    amount = root.get("54")
    if "00" not in beneficiary or "01" not in beneficiary:
        return None
    return Decoded(
        bank_bin=beneficiary["00"], account=beneficiary["01"],
        amount=int(amount) if amount and amount.isdigit() else None, purpose=extra.get("08", ""),
    )


# --- the printable sign ---------------------------------------------------------------------------

A5_WIDTH, A5_HEIGHT = 148, 210  # millimetres
QR_SIZE = 100


def _qr_path(payload: str) -> tuple[str, int]:
    """The QR code as one SVG path in module units (runs of dark modules merged per row)."""
    qr = segno.make(payload, error="m", micro=False)
    parts: list[str] = []
    size = 0
    for y, row in enumerate(qr.matrix_iter(border=0)):
        row = list(row)
        size = len(row)
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return "".join(parts), size


def _group_account(account: str) -> str:
    return " ".join(account[i : i + 4] for i in range(0, len(account), 4))


def _text(x: float, y: float, text: str, size: float, *, weight: str = "normal", fill: str = "#111") -> str:
    if not text:
        return ""
    # Long lines shrink to fit the page width rather than run off it.
    fitted = min(size, (A5_WIDTH - 16) / max(len(text) * 0.56, 1))
    return (
        f'<text x="{x}" y="{y}" font-size="{fitted:.2f}" font-weight="{weight}" fill="{fill}" '
        f'text-anchor="middle">{escape(text)}</text>'
    )


def sign_svg(
    *, payload: str, bank: Bank, account: str, account_name: str = "", shop_name: str = "",
    amount: int | None = None, purpose: str = "",
) -> str:
    """A printable A5 sign: shop name, the QR code, bank, account and the holder's name as given."""
    path, modules = _qr_path(payload)
    scale = QR_SIZE / modules
    qr_x = (A5_WIDTH - QR_SIZE) / 2
    mid = A5_WIDTH / 2
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{A5_WIDTH}mm" height="{A5_HEIGHT}mm" '
        f'viewBox="0 0 {A5_WIDTH} {A5_HEIGHT}" font-family="Arial, Helvetica, sans-serif" role="img" '
        f'aria-label="{escape(_("Biển mã QR nhận thanh toán"), {chr(34): "&quot;"})}">',
        f'<rect width="{A5_WIDTH}" height="{A5_HEIGHT}" fill="#fff"/>',
        f'<rect x="4" y="4" width="{A5_WIDTH - 8}" height="{A5_HEIGHT - 8}" rx="6" fill="none" '
        'stroke="#b71c1c" stroke-width="1.2"/>',
        _text(mid, 22, shop_name or _("Quét mã để thanh toán"), 11, weight="bold"),
        _text(mid, 32, _("Quét mã VietQR bằng ứng dụng ngân hàng") if shop_name else "", 6, fill="#444"),
        f'<rect x="{qr_x - 4}" y="38" width="{QR_SIZE + 8}" height="{QR_SIZE + 8}" fill="#fff" '
        'stroke="#ddd" stroke-width="0.4"/>',
        f'<path transform="translate({qr_x} 42) scale({scale:.5f})" fill="#000" d="{path}"/>',
        _text(mid, 157, bank.short_name, 7.5, weight="bold"),
        _text(mid, 167, _group_account(account), 9, weight="bold"),
    ]
    y = 176.0
    if account_name:
        lines.append(_text(mid, y, account_name.upper(), 6.5))
        y += 7.5
    if amount:
        lines.append(_text(mid, y, _("Số tiền: %(amount)s đ") % {"amount": f"{amount:,}".replace(",", ".")}, 6))
        y += 7
    if purpose:
        lines.append(_text(mid, y, _("Nội dung: %(purpose)s") % {"purpose": purpose}, 5, fill="#444"))
    lines.append(
        _text(mid, A5_HEIGHT - 8, _("Kiểm tra đúng tên chủ tài khoản trước khi chuyển tiền."), 4, fill="#666")
    )
    lines.append("</svg>")
    return "\n".join(line for line in lines if line)
