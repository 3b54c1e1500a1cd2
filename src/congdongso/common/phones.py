"""Phone numbers: one normal form (E.164) for every way people write a Vietnamese number."""

import re
from functools import cache

import phonenumbers
from phonenumbers import PhoneMetadata

DEFAULT_REGION = "VN"
_PUNCTUATION = "+().-/"
# The number types phonenumbers tries, in its order (phonenumberutil._number_type_helper): a number
# is valid when it matches the region's general pattern and the pattern of at least one type.
_NUMBER_TYPES = (
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
    "fixed_line", "mobile",
)


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


def is_valid_national(national: str) -> bool:
    """`phonenumbers.is_valid_number` for the Vietnamese number whose national significant number
    (no trunk 0) is `national`, a string of ASCII digits — without building a PhoneNumber.

    phonenumbers matches the number against a dozen patterns, one call each (about 8 µs, most of
    an import's time per phone); here they are folded, per number length, into one compiled
    pattern (under 1 µs). A property test checks both answer alike.
    """
    pattern = _valid_national_patterns().get(len(national))
    return pattern is not None and pattern.fullmatch(national) is not None


@cache
def _valid_national_patterns() -> dict[int, re.Pattern]:
    """Number length -> a pattern that matches exactly the valid numbers of that length: the
    general pattern as a look-ahead, then any type's pattern whose possible lengths admit it."""
    metadata = PhoneMetadata.metadata_for_region(DEFAULT_REGION)

    def admits(desc, length: int) -> bool:
        # phonenumberutil._is_number_matching_desc: no lengths listed means any length.
        return bool(
            desc is not None and desc.national_number_pattern
            and (not desc.possible_length or length in desc.possible_length)
        )

    names = [name for name in _NUMBER_TYPES if not (name == "mobile" and metadata.same_mobile_and_fixed_line_pattern)]
    general = metadata.general_desc
    patterns = {}
    for length in range(1, 18):  # phonenumbers' longest national number is 17 digits
        if not admits(general, length):
            continue
        types = [desc.national_number_pattern for name in names if admits(desc := getattr(metadata, name), length)]
        if types:
            alternatives = "|".join(f"(?:{pattern})" for pattern in types)
            patterns[length] = re.compile(f"(?=(?:{general.national_number_pattern})\\Z)(?:{alternatives})")
    return patterns


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
