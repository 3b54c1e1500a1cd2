r"""`clean_name` and `fold` collapse whitespace exactly as the regular expression they replaced
(`re.sub(r"\s+", " ", …).strip()`), for every kind of Unicode space, tab and line break."""

import re
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from congdongso.common.text import clean_name, fold

SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
text = st.one_of(st.text(max_size=40), st.text(alphabet=SPACES + "aĐễ \u0301x", max_size=40))


def regex_clean_name(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


def regex_fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.translate(str.maketrans({"đ": "d", "Đ": "d"})))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


@given(text)
def test_clean_name_collapses_spaces_as_the_regex_did(value):
    assert clean_name(value) == regex_clean_name(value)


@given(text)
def test_fold_collapses_spaces_as_the_regex_did(value):
    assert fold(value) == regex_fold(value)


def test_every_unicode_space_is_collapsed():
    assert clean_name(f"{SPACES}Trần{SPACES}Thị  Lan{SPACES}") == "Trần Thị Lan"
    assert fold(f"\u3000Đặng\u00a0\u2029Thị\u200aĐào\x1c") == "dang thi dao"
