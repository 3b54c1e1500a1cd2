"""Phone numbers: one normal form (E.164) for every way people write a Vietnamese number."""

import phonenumbers

DEFAULT_REGION = "VN"
_PUNCTUATION = "+().-/"


def normalise_phone(raw: str) -> str | None:
    """"0912 345 678", "+84 912345678", "84912345678", "(091) 2345678" -> "+84912345678".

    Answers None for anything that is not a valid number; never raises.
    """
    text = (raw or "").strip()
    if not text or len(text) > 40:
        return None
    # Only digits and the punctuation people write numbers with: "Gọi 0912 345 678 nhé" or a NUL
    # byte in front is not a phone number (phonenumbers would dig one out of it).
    if not all(ch.isdecimal() or ch.isspace() or ch in _PUNCTUATION for ch in text):
        return None
    digits = "".join(ch for ch in text if ch.isdecimal())
    # "84912345678" without a plus: the country code written as if it were a trunk prefix.
    if not text.startswith(("+", "0")) and digits.startswith("84") and len(digits) in (11, 12):
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """"+84912345678" -> "0912 345 678", the way people read it in Vietnam; a foreign number keeps
    its country code ("+1 202-555-0143")."""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
        domestic = phonenumbers.region_code_for_number(number) == DEFAULT_REGION
    except phonenumbers.NumberParseException:
        return e164
    style = phonenumbers.PhoneNumberFormat.NATIONAL if domestic else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
