"""Search keys and stored names: `fold` and `clean_name` on any text, Vietnamese above all."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from congdongso.common.text import clean_name, fold

# Vietnamese letters in both precomposed and decomposed form, plus spacing and punctuation.
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " \t\n-.0123456789"), max_size=40
).flatmap(lambda s: st.sampled_from([s, unicodedata.normalize("NFD", s)]))
any_text = st.text(max_size=40)


@given(st.one_of(vietnamese_text, any_text))
def test_fold_is_idempotent(value: str):
    assert fold(fold(value)) == fold(value)


@given(st.one_of(vietnamese_text, any_text))
def test_fold_has_no_combining_marks_no_d_stroke_and_single_spaces(value: str):
    key = fold(value)
    assert not any(unicodedata.combining(ch) for ch in key)
    assert "đ" not in key and "Đ" not in key
    assert key == key.strip() and "  " not in key
    assert key == key.casefold()


@given(vietnamese_text)
def test_fold_of_vietnamese_is_plain_ascii(value: str):
    assert fold(value).isascii()


@given(vietnamese_text)
def test_fold_ignores_case_and_normal_form(value: str):
    assert fold(value.upper()) == fold(value.lower()) == fold(unicodedata.normalize("NFD", value))


@given(st.one_of(vietnamese_text, any_text))
def test_clean_name_is_nfc_trimmed_and_idempotent(value: str):
    name = clean_name(value)
    assert unicodedata.is_normalized("NFC", name)
    assert clean_name(name) == name
    assert name == name.strip() and "  " not in name


@given(vietnamese_text)
def test_clean_name_keeps_the_search_key(value: str):
    assert fold(clean_name(value)) == fold(value)


def test_names_with_and_without_diacritics_share_a_key():
    assert fold("Nguyễn Văn A") == fold("nguyen van a") == "nguyen van a"
    assert fold("NGUYỄN  VĂN\tA ") == "nguyen van a"
    assert fold(unicodedata.normalize("NFD", "Nguyễn Văn A")) == "nguyen van a"
    assert fold("Đặng Thị Đào") == "dang thi dao"
    assert fold("") == "" and fold(None) == ""  # type: ignore[arg-type]


def test_clean_name_stores_composed_single_spaced_text():
    decomposed = unicodedata.normalize("NFD", "  Thôn   Đồng\u00a0Tâm ")
    assert clean_name(decomposed) == "Thôn Đồng Tâm"
    assert clean_name(decomposed) == unicodedata.normalize("NFC", "Thôn Đồng Tâm")
