"""Finding a person's name and phone in free text: any case, any diacritics, any way of writing the
phone; whole names only, and other text left as it was."""

from hypothesis import given
from hypothesis import strategies as st

from congdongso.privacy.redaction import REDACTED, Needles

NEEDLES = Needles.of(names=["Hoàng Thị Quỳnh Xuyến"], phones=["+84983216547"])


def test_names_match_whatever_their_case_and_diacritics():
    for written in ("Hoàng Thị Quỳnh Xuyến", "hoang thi quynh xuyen", "HOÀNG THỊ QUỲNH XUYẾN", "Hoàng  Thị Quỳnh\nXuyến"):
        assert NEEDLES.redact(f"Gặp chị {written}, hẹn mai.") == f"Gặp chị {REDACTED}, hẹn mai."


def test_phones_match_in_every_way_people_write_them():
    for written in ("+84983216547", "84983216547", "0983216547", "0983 216 547", "0983.216.547", "(0983) 216-547", "+84 983 216 547"):
        assert NEEDLES.redact(f"SĐT: {written}.") == f"SĐT: {REDACTED}.", written


def test_other_numbers_and_words_stay():
    text = "Gọi 0912 345 678 hoặc 09832165470; chị Xuyến ở Thôn Đông; Hoàng Thị Quỳnh Xuyếnx"
    assert NEEDLES.redact(text) == text
    assert Needles.of(names=["Lan"], phones=[]).redact("Chị Lan") == "Chị Lan"  # too short to search


def test_json_values_are_redacted_and_keys_kept():
    value = {"head_name": "Hoàng Thị Quỳnh Xuyến", "n": 3, "list": ["0983216547", None]}
    assert NEEDLES.redact_json(value) == {"head_name": REDACTED, "n": 3, "list": [REDACTED, None]}


@given(st.text(max_size=200))
def test_redaction_never_raises_and_leaves_no_needle(noise):
    text = f"{noise} Hoàng Thị Quỳnh Xuyến {noise} 0983 216 547 {noise}"
    redacted = NEEDLES.redact(text)
    assert not NEEDLES.found_in(redacted)
    assert "Hoàng Thị Quỳnh Xuyến" not in redacted
