"""Search keys for unit names drop the division type ("Xã", "Phường", ...) and punctuation."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdongso.common.text import fold
from congdongso.geo.models import Level
from congdongso.geo.naming import unit_search_keys, unit_search_name, village_search_name
from congdongso.geo.selectors import resolve_name

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
word = st.text(alphabet=st.sampled_from(LETTERS + LETTERS.upper() + "0123456789"), min_size=1, max_size=8)
# A proper name: words joined by spaces or hyphens ("Bà Rịa - Vũng Tàu").
proper_name = st.lists(word, min_size=1, max_size=4).flatmap(
    lambda words: st.sampled_from([" ".join(words), " - ".join(words), "-".join(words)])
)
PREFIXES = ["Xã", "Phường", "Tỉnh", "Thành phố", "Đặc khu", "Thị xã", "Thị trấn", "Huyện", "Quận"]


@given(st.sampled_from(PREFIXES), proper_name, st.sampled_from([str, str.upper, str.lower]))
def test_the_division_type_is_dropped(prefix: str, name: str, case):
    assert unit_search_name(case(f"{prefix} {name}")) == village_search_name(name)


@given(st.sampled_from(PREFIXES), proper_name)
def test_decomposed_input_gives_the_same_key(prefix: str, name: str):
    full = f"{prefix} {name}"
    assert unit_search_name(unicodedata.normalize("NFD", full)) == unit_search_name(full)


@given(proper_name)
def test_the_key_is_folded_words_without_hyphens(name: str):
    key = unit_search_name(name)
    assert key == fold(key)
    assert "-" not in key and "  " not in key and key == key.strip()


@given(st.sampled_from(PREFIXES), proper_name)
def test_a_name_typed_without_accents_still_finds_its_key(prefix: str, name: str):
    assert unit_search_name(f"{prefix} {name}") in unit_search_keys(fold(f"{prefix} {name}"))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Xã Tân Hải", "tan hai"),
        ("Phường Ba Đình", "ba dinh"),
        ("Tỉnh Bà Rịa - Vũng Tàu", "ba ria vung tau"),
        ("Thành phố Hồ Chí Minh", "ho chi minh"),
        ("Thành Phố Bắc Kạn", "bac kan"),
        ("xã Bắc Sơn", "bac son"),
        ("Thị xã Sơn Tây", "son tay"),
        ("Đặc khu Phú Quốc", "phu quoc"),
        ("Thôn 1", "thon 1"),
        # Names whose first word folds like a division type keep it.
        ("Xã Quan Sơn", "quan son"),
        ("Quan Sơn", "quan son"),
        ("Phường Phương Liệt", "phuong liet"),
        ("Phương Liệt", "phuong liet"),
        ("Tịnh Khê", "tinh khe"),
        ("Xã Xà Phiên", "xa phien"),
    ],
)
def test_known_names(name: str, key: str):
    assert unit_search_name(name) == key


def test_keys_for_a_typed_name_try_the_exact_one_first():
    assert unit_search_keys("xa tan hai") == ["xa tan hai", "tan hai"]
    assert unit_search_keys("Xã Tân Hải") == ["tan hai"]
    assert unit_search_keys("quan son") == ["quan son", "son"]
    assert unit_search_keys("  ") == []


@pytest.mark.django_db
def test_resolve_name_finds_communes_whose_name_looks_like_a_division_type(make):
    province = make.province()
    quan_son = make.commune(province, name="Xã Quan Sơn")
    tan_hai = make.commune(province, name="Xã Tân Hải")
    for typed in ("Quan Sơn", "quan son", "Xã Quan Sơn", "xa quan son"):
        assert resolve_name(typed, level=Level.COMMUNE) == [quan_son], typed
    for typed in ("Tân Hải", "tan hai", "xa tan hai", "XÃ TÂN HẢI"):
        assert resolve_name(typed, level=Level.COMMUNE) == [tan_hai], typed
    assert resolve_name("Xã Không Có", level=Level.COMMUNE) == []
