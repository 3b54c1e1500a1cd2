"""Tracking codes: short, from an unambiguous alphabet, unguessable, read back however they are written."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdongso.feedback.codes import ALPHABET, LENGTH, new_code, normalise_code

codes = st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH)


def test_new_codes_use_only_unambiguous_characters_and_do_not_follow_a_sequence():
    drawn = [new_code() for _ in range(2000)]
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in drawn)
    assert not set("01OIL") & set("".join(drawn))
    assert len(set(drawn)) == len(drawn)
    # Every position varies: nothing like a counter or a date prefix.
    for position in range(LENGTH):
        assert len({code[position] for code in drawn}) > len(ALPHABET) // 2


@given(codes, st.sampled_from(["{}", " {} ", "{}\n"]), st.booleans(), st.sampled_from(["", "-", " ", "."]))
def test_every_written_form_of_a_code_reads_back_the_same(code, frame, lower, separator):
    text = code[:4] + separator + code[4:]
    text = frame.format(text.lower() if lower else text)
    assert normalise_code(text) == code


@given(st.one_of(st.text(max_size=60), st.binary(max_size=20), st.none(), st.integers()))
def test_garbage_never_raises_and_never_yields_a_malformed_code(raw):
    code = normalise_code(raw)
    assert code is None or (len(code) == LENGTH and set(code) <= set(ALPHABET))


@pytest.mark.parametrize("raw", ["", "ABCD234", "ABCD23456", "ABCD2340", "ABCDO234", "ABCD 23I4", "x" * 10_000, "AB\x00CD2345"])
def test_malformed_codes_are_refused(raw):
    assert normalise_code(raw) is None
