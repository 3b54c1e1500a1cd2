"""The import's shortcuts answer exactly as the slow, obvious way: accents removed for the
sensitive-text pre-check as a regex over every combining mark in Unicode would; and the garbage
collector, paused while a list is checked and saved, is back in the state it was found in."""

import gc
import re
import string
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congdongso.households.importing import _collector_paused, _without_accents, check_tables, open_tables
from congdongso.testing.household_lists import HOUSEHOLD_HEADER, csv_bytes

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
MARKS = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c)))
EVERY_MARK = re.compile(f"[{re.escape(MARKS)}]")
vietnamese = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "Đ .,:-" + string.digits, max_size=30)
text = st.one_of(
    vietnamese,
    vietnamese.map(lambda s: unicodedata.normalize("NFD", s)),
    st.text(max_size=30),
    st.text(alphabet=VIETNAMESE + "\u0301\u0308\u20d7\u0345ſßİǅ\ufb00Ωꞵ", max_size=30),
)


def slow_way(value: str) -> str:
    return EVERY_MARK.sub("", unicodedata.normalize("NFD", value)).casefold()


@settings(max_examples=1_000)
@given(text)
def test_accents_go_as_they_would_with_every_combining_mark(value):
    assert _without_accents(value) == slow_way(value), value


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_comes_back_as_it_was_even_after_a_failure(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with _collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() == enabled
        with pytest.raises(RuntimeError), _collector_paused():
            raise RuntimeError("disk full")
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.django_db
def test_a_check_leaves_the_collector_on():
    assert gc.isenabled()
    check_tables(open_tables(csv_bytes(HOUSEHOLD_HEADER, [["H1", "NO-SUCH-VILLAGE"]]), "ho.csv"), within=None)
    assert gc.isenabled()
