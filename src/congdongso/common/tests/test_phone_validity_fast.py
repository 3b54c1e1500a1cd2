"""`is_valid_national` (the import's phone check) answers exactly as phonenumbers.is_valid_number for
every Vietnamese national number: random digit strings of every length, and numbers built from
the prefixes the metadata knows (mobile, fixed line, toll-free, premium, UAN, VoIP)."""

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from congdongso.common.phones import is_valid_national

# Leading digits of every kind of number in the metadata, and near misses of them.
PREFIXES = ["9", "8", "7", "5", "3", "1", "2", "6", "4", "90", "99", "89", "59", "52", "55", "12", "120", "121",
            "1800", "1900", "1999", "672", "69", "799", "24", "28", "203", "210", "299", "86", "88", "70", "76"]
national_numbers = st.one_of(
    st.text("0123456789", min_size=1, max_size=17).filter(lambda s: s[0] != "0"),
    st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(PREFIXES), st.text("0123456789", max_size=10)),
)


def slow_way(national: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=84, national_number=int(national)))


@settings(max_examples=3_000)
@given(national_numbers)
def test_the_fast_check_agrees_with_phonenumbers(national):
    assert is_valid_national(national) == slow_way(national), national


def test_known_numbers():
    assert is_valid_national("912345678")  # 0912 345 678, mobile
    assert is_valid_national("2438251234")  # (024) 3825 1234, Hà Nội fixed line
    assert is_valid_national("18001234")  # toll-free
    assert not is_valid_national("12345")
    assert not is_valid_national("0912345678")  # the trunk 0 is not part of the national number
    assert not is_valid_national("")
