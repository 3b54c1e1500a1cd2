"""Refuse text that carries what must never be stored: full citizen ID numbers (CCCD, 12 digits),
bank card numbers, passwords, OTPs and other login codes.

Members often sit beside a resident who is logging in to VNeID or a bank app; a password or an OTP
typed into a name or address box by habit must be refused, not saved. The checks are deliberately
simple and explainable, and never raise on any input:

- a run of 12 or more digits (one or two spaces, a dot or a dash may separate the groups): a CCCD number
  is 12 digits, a bank card 16. A Vietnamese phone number written long ("0084 912 345 678") passes;
  twelve digits starting with 0 never do, as that is the shape of a CCCD number;
- a credential word ("mật khẩu", "mk", "password", "OTP", "mã xác thực", "mã PIN" …) followed by a
  value: after ":" / "=" / "là", also one or two words later ("mật khẩu VNeID: an1970"), or a token
  right after it that holds a digit ("OTP 123456", "mk abc123").
  "Quên mật khẩu VNeID" names no value and passes.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congdongso.common.phones import normalise_phone
from congdongso.common.text import fold

ID_NUMBER = "id_number"
CREDENTIAL = "credential"

MESSAGES = {
    ID_NUMBER: _(
        "Không được ghi số CCCD/căn cước hay số thẻ ngân hàng (dãy từ 12 chữ số trở lên). "
        "Hãy xóa dãy số này."
    ),
    CREDENTIAL: _("Không được ghi mật khẩu, mã OTP hay mã xác thực của người dân. Hãy xóa phần này."),
}
NOTICE = _("Không bao giờ ghi mật khẩu, mã OTP, ảnh hay số CCCD của người dân.")

_MAX_CHECKED = 10_000
# Digit groups joined by one or two spaces (people space numbers unevenly: "0084 32000000  0"), a dot
# or a dash: "001099012345", "001 099 012 345". " - " separates two numbers ("0912 345 678 - 0987 …").
_DIGIT_RUN = re.compile(r"\d+(?:(?: {1,2}|[.\-])\d+)*")
_LONG_RUN_DIGITS = 12
# Credential words, on folded text (lower case, no diacritics, single spaces).
_WORDS = (
    r"mat khau|mat ma|mk|pass(?:word|wd)?|pwd|pw|otp|ma otp|ma xac thuc|ma xac nhan|ma kich hoat"
    r"|ma pin|pin code|ma bao mat|smart ?otp|verification code"
)
_SEPARATED_VALUE = r"\s*(?:[:=]|\bla\b)\s*[^\s:=]"
_CREDENTIAL = re.compile(
    rf"(?<!\w)(?:{_WORDS})(?![^\W\d_])"
    r"(?:"
    + _SEPARATED_VALUE  # "mk: abc", "mật khẩu = x", "mật khẩu là hoa"
    + r"|\s*(?:-\s*)?[^\s:=]*\d"  # "OTP 123456", "mk abc123", "otp123456", "mk - 1234"
    + r"|(?:\s+[^\W_]+){1,2}"  # "mật khẩu VNeID: an1970", "mk của bà là hoa"
    + _SEPARATED_VALUE
    + r")"
)


def sensitive_kind(text: object) -> str | None:
    """ID_NUMBER or CREDENTIAL when the text holds something never to be stored, else None."""
    if not isinstance(text, str) or not text:
        return None
    text = text[:_MAX_CHECKED]
    for match in _DIGIT_RUN.finditer(text):
        run = match.group()
        if sum(ch.isdigit() for ch in run) >= _LONG_RUN_DIGITS and not _is_phone(run, text, match.start()):
            return ID_NUMBER
    if _CREDENTIAL.search(fold(text)):
        return CREDENTIAL
    return None


def _is_phone(run: str, text: str, start: int) -> bool:
    # "+84 912 345 678" arrives here as "84 912 345 678": the plus sits just before the run.
    prefix = "+" if start and text[start - 1] == "+" else ""
    digits = "".join(ch for ch in run if ch.isdigit())
    if not prefix and len(digits) == 12 and digits.startswith("0"):
        # The shape of a CCCD number (province code 001-096 first), even when it happens to dial
        # somewhere too: "008469770519" reads as 0084 69770519.
        return False
    # Only Vietnamese numbers: "002693000000" is a CCCD that also dials the Comoros (+269).
    return (normalise_phone(prefix + run) or "").startswith("+84")


def refuse_sensitive(value: object) -> None:
    """A Django validator: raises a Vietnamese ValidationError for text `sensitive_kind` flags."""
    kind = sensitive_kind(value)
    if kind is not None:
        raise ValidationError(MESSAGES[kind], code=f"sensitive_{kind}")
