"""Every common way of writing one Vietnamese number normalises to the same E.164; garbage answers None."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from congdongso.common.phones import display_phone, normalise_phone
from congdongso.households.tests.phone_forms import MOBILE_PREFIXES, mobile_numbers, written_forms, written_phone

E164 = re.compile(r"\+[1-9]\d{6,14}")


def test_the_written_forms_of_the_brief_normalise_alike():
    forms = ["0912 345 678", "+84 912345678", "84912345678", "(091) 2345678", "0912.345.678", "0912-345-678",
             " 0 9 1 2 3 4 5 6 7 8 ", "+84 91 234 56 78", "0084912345678"]
    assert {normalise_phone(form) for form in forms} == {"+84912345678"}


def test_every_listed_prefix_is_a_valid_mobile_prefix():
    for prefix in MOBILE_PREFIXES:
        assert normalise_phone(prefix + "1234567") == "+84" + prefix[1:] + "1234567", prefix


@given(mobile_numbers)
def test_every_written_form_of_one_number_normalises_to_the_same_e164(national):
    expected = "+84" + national[1:]
    assert {normalise_phone(form) for form in written_forms(national)} == {expected}


@given(written_phone())
def test_spaces_anywhere_do_not_change_the_number(case):
    national, written = case
    assert normalise_phone(written) == "+84" + national[1:]


@given(mobile_numbers)
def test_normal_form_is_stable_and_reads_back_as_the_national_number(national):
    e164 = normalise_phone(national)
    assert normalise_phone(e164) == e164
    assert display_phone(e164).replace(" ", "") == national


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=60), st.binary(max_size=30).map(lambda b: b.decode("latin-1")), st.none()))
def test_garbage_never_raises_and_answers_none_or_a_valid_number(raw):
    result = normalise_phone(raw)
    assert result is None or (E164.fullmatch(result) and normalise_phone(result) == result)


@given(st.text(alphabet=st.characters(exclude_categories=["Nd", "No", "Nl"]), max_size=40))
def test_text_without_digits_is_never_a_number(raw):
    assert normalise_phone(raw) is None


def test_too_short_too_long_and_wrong_numbers_answer_none():
    for raw in ["", "   ", "12345", "0912 345", "0912 345 678 999", "001099012345", "+84", "số điện thoại", "x" * 1000,
                "0000000000", "\x00912345678"]:
        assert normalise_phone(raw) is None, raw
