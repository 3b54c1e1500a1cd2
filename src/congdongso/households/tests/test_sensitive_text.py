"""The credential / ID-number check behind every household text box: never raises, flags what must
never be stored, leaves names, addresses and phone numbers alone."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from congdongso.common.sensitive import CREDENTIAL, ID_NUMBER, refuse_sensitive, sensitive_kind
from congdongso.households.tests.phone_forms import written_phone

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Mã", "Lò", "Hà", "Kim"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quốc", "Mỹ", ""]
GIVEN = ["An", "Bình", "Cường", "Dung", "Đào", "Hoa", "Khánh", "Lan", "Mai", "Minh", "Pin", "Kim", "Tú", "Ơn", "Ước",
         "Xuân", "Yến", "Páo", "Ka"]
STREETS = ["ngõ", "ngách", "hẻm", "kiệt", "xóm", "đường Lê Lợi", "tổ", "khu phố", "ấp", "thôn"]
CREDENTIAL_WORDS = ["mật khẩu", "Mật Khẩu", "MẬT KHẨU", "mat khau", "mk", "MK", "password", "Pass", "pwd", "OTP", "otp",
                    "mã OTP", "Mã xác thực", "ma xac thuc", "mã xác nhận", "mã PIN", "mật mã", "mã kích hoạt"]

names = st.builds(
    lambda f, m, g: " ".join(part for part in (f, m, g) if part),
    st.sampled_from(FAMILY), st.sampled_from(MIDDLE), st.sampled_from(GIVEN),
)
addresses = st.builds(
    lambda n, street, m, name: f"Số {n}, {street} {m}, {name}",
    st.integers(1, 999), st.sampled_from(STREETS), st.integers(1, 300), st.sampled_from(["Thôn Đông", "Tổ 3", "Ấp Mỹ Khánh"]),
)
cccd_numbers = st.builds(
    lambda province, rest: f"{province:03d}{rest}", st.integers(1, 96), st.text("0123456789", min_size=9, max_size=9)
)
card_numbers = st.text("0123456789", min_size=16, max_size=16)
separators = st.sampled_from([": ", ":", " = ", "=", " là ", " ", " - "])
values_with_digit = st.builds(
    lambda letters, digits: letters + digits, st.text("abcxyz", max_size=5), st.text("0123456789", min_size=1, max_size=8)
)


@given(st.one_of(st.text(max_size=200), st.none(), st.integers(), st.binary(max_size=20)))
def test_never_raises_and_answers_a_known_kind(value):
    assert sensitive_kind(value) in (None, ID_NUMBER, CREDENTIAL)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("CCCD 001099012345", ID_NUMBER), ("số căn cước 001 099 012 345", ID_NUMBER), ("cccd:001099012345", ID_NUMBER),
        # CCCD numbers that also dial somewhere (0084 69770519; the Comoros, +269): still ID numbers.
        ("008469770519", ID_NUMBER), ("002693000000", ID_NUMBER),
        ("thẻ 4111 1111 1111 1111", ID_NUMBER), ("4111-1111-1111-1111", ID_NUMBER),
        ("mk: abc123", CREDENTIAL), ("OTP 123456", CREDENTIAL), ("otp123456", CREDENTIAL),
        ("Mật khẩu là hoa1990", CREDENTIAL), ("mật khẩu: hoahong", CREDENTIAL), ("password=secret", CREDENTIAL),
        ("Mã xác thực 887766", CREDENTIAL), ("mã OTP: 1234", CREDENTIAL), ("MK Abc@123", CREDENTIAL),
        ("mật khẩu VNeID: an1970", CREDENTIAL), ("mk của bà là hoa", CREDENTIAL), ("mk - 1234", CREDENTIAL),
    ],
)
def test_flags_the_examples(text, kind):
    assert sensitive_kind(text) == kind
    with pytest.raises(ValidationError) as refused:
        refuse_sensitive(text)
    assert "Không được ghi" in refused.value.messages[0]


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Văn A", "Số 12, ngõ 34", "0912 345 678", "+84 912 345 678", "0084 912 345 678", "Quên mật khẩu VNeID",
     "Bà Mã Thị Pin", "Lò Văn Kim", "Thôn 3, xã Mỹ Khánh", "sinh 12/05/1990", "12.05.1990", "", "   ",
     "Tổ 12, khu phố 3, phường 7", "0912 345 678 - 0987 654 321"],
)
def test_leaves_ordinary_text_alone(text):
    assert sensitive_kind(text) is None
    refuse_sensitive(text)


@given(cccd_numbers, names, st.sampled_from(["CCCD ", "cccd: ", "số ", "", "CMND/CCCD "]))
def test_flags_a_citizen_id_number_wherever_it_is(number, name, label):
    assert sensitive_kind(f"{name} {label}{number}") == ID_NUMBER
    grouped = f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}"
    assert sensitive_kind(f"{label}{grouped}, {name}") == ID_NUMBER


@given(card_numbers)
def test_flags_a_bank_card_number(number):
    assert sensitive_kind(number) == ID_NUMBER
    assert sensitive_kind(" ".join(number[i : i + 4] for i in range(0, 16, 4))) == ID_NUMBER


@given(names, st.sampled_from(CREDENTIAL_WORDS), separators, values_with_digit)
def test_flags_a_credential_word_followed_by_a_value(name, word, separator, value):
    assert sensitive_kind(f"{name} {word}{separator}{value}") == CREDENTIAL


@given(st.sampled_from(CREDENTIAL_WORDS), st.sampled_from([": ", " = ", " là "]), st.text("abcdefghik", min_size=1, max_size=8))
def test_flags_a_credential_word_with_a_letters_only_value_after_a_separator(word, separator, value):
    assert sensitive_kind(f"{word}{separator}{value}") == CREDENTIAL


@given(names)
def test_does_not_flag_names(name):
    assert sensitive_kind(name) is None


@given(addresses)
def test_does_not_flag_addresses(address):
    assert sensitive_kind(address) is None


@given(written_phone(), names)
def test_does_not_flag_phone_numbers_however_written(phone, name):
    _national, written = phone
    assert sensitive_kind(written) is None
    assert sensitive_kind(f"{name} {written}") is None
