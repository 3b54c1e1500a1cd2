"""The officers' rule language: phrases, "+" and "*", diacritics ignored, negations respected."""

from hypothesis import given, settings
from hypothesis import strategies as st

from congdongso.scams import rules
from congdongso.scams.identifiers import fold_keep_length


def hit(rule_text: str, message: str):
    return rules.find(rules.parse_rules(rule_text), fold_keep_length(message))


def test_phrases_match_whole_words_without_diacritics_or_case():
    assert hit("cung cấp mã OTP", "Vui long CUNG CAP MA OTP de xac minh")
    assert hit("cung cap ma otp", "Vui lòng cung cấp mã OTP để xác minh")
    assert not hit("otp", "hotpot ngon lắm")


def test_a_star_stands_for_up_to_three_words():
    assert hit("cung cấp * mã OTP", "cung cấp cho em mã OTP")
    assert hit("cung cấp * mã OTP", "cung cấp mã OTP")
    assert not hit("cung cấp * mã OTP", "cung cấp một hai ba bốn năm mã OTP")


def test_plus_needs_every_part_in_any_order():
    assert hit("công an + điều tra", "Cơ quan điều tra Công an tỉnh thông báo")
    assert not hit("công an + điều tra", "Công an xã mời họp")


def test_a_negated_phrase_is_a_warning_not_a_request():
    otp = "cung cấp * mã OTP\nđọc * mã OTP"
    assert not hit(otp, "Tuyệt đối KHÔNG cung cấp mã OTP cho bất kỳ ai")
    assert not hit(otp, "Ngân hàng không bao giờ yêu cầu quý khách cung cấp mã OTP.")
    assert not hit(otp, "Dung doc ma OTP cho nguoi la")
    # A threat is not a warning: "if you do not give the code ..."
    assert hit(otp, "Nếu không cung cấp mã OTP, tài khoản sẽ bị khóa")
    # A negation in the previous sentence does not reach this one.
    assert hit(otp, "Không có gì phải lo. Anh cung cấp mã OTP cho em nhé")


def test_rule_errors_are_in_vietnamese_and_name_the_line():
    assert rules.rule_errors("cung cấp * mã OTP\n# chú thích\n") == []
    problems = rules.rule_errors("ok\n***\n" + "a + b + c + d + e\n" + "x" * 300)
    assert any("Dòng 2" in p for p in problems)
    assert any("Dòng 3" in p for p in problems)
    assert any("Dòng 4" in p and "quá dài" in p for p in problems)


@settings(max_examples=100, deadline=None)
@given(rule_text=st.text(max_size=300), message=st.text(max_size=500))
def test_any_rule_text_and_message_never_raise(rule_text, message):
    rules.rule_errors(rule_text)
    found = rules.find(rules.parse_rules(rule_text), fold_keep_length(message))
    assert found is None or 0 <= found.start <= found.end <= len(message)


def test_regex_characters_in_rules_are_plain_text():
    assert hit("(a+)+$ .* [x]", "a x") is None or True  # compiles and runs
    assert not hit(".*", "bất kỳ tin nhắn nào")
