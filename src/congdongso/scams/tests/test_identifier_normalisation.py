"""Every written form of one thing is one entity key; anything else is None, never an exception."""

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congdongso.scams import identifiers

FAST = settings(max_examples=100, deadline=None)

# A handful of real-looking Vietnamese mobile and landline numbers (national significant numbers).
NATIONAL_NUMBERS = ["912345678", "987654321", "888999888", "399123456", "703456789", "2438251234", "2839123456"]


def written_forms(nsn: str) -> list[str]:
    """How people write one number: with 0 or +84 or 84, grouped by spaces, dots or dashes, with brackets."""
    local = "0" + nsn
    groups = [local[:4], local[4:7], local[7:]]
    return [
        local,
        " ".join(groups),
        ".".join(groups),
        "-".join(groups),
        "+84" + nsn,
        "+84 " + nsn,
        "+84 " + " ".join([nsn[:3], nsn[3:6], nsn[6:]]),
        "84" + nsn,
        "0084" + nsn,
        "(" + local[:3] + ") " + local[3:],
        "+84 (0) " + nsn,
        "tel:" + local,
        "  " + local + "  ",
    ]


def test_the_issue_examples_are_one_number():
    forms = ["0912 345 678", "+84 912345678", "84912345678", "(091) 2345678", "0912.345.678"]
    assert {identifiers.phone(f).key for f in forms} == {"phone:+84912345678"}


@FAST
@given(nsn=st.sampled_from(NATIONAL_NUMBERS), index=st.integers(min_value=0, max_value=12))
def test_every_written_form_of_a_number_has_one_key(nsn, index):
    form = written_forms(nsn)[index]
    expected = identifiers.phone("0" + nsn)
    assert expected is not None
    found = identifiers.phone(form)
    assert found is not None, form
    assert found.key == expected.key == f"phone:+84{nsn}"
    # The one box finds it too.
    assert expected.key in identifiers.parse_query(form).keys


@FAST
@given(
    digits=st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda d: "9" + d),
    separator=st.sampled_from(["", " ", ".", "-"]),
    prefix=st.sampled_from(["0", "+84", "84", "+84 ", "0084"]),
)
def test_generated_mobile_numbers_normalise_alike(digits, separator, prefix):
    grouped = separator.join([digits[:3], digits[3:6], digits[6:]])
    found = identifiers.phone(prefix + grouped)
    plain = identifiers.phone("0" + digits)
    assert (found is None) == (plain is None)
    if found is not None:
        assert found.key == plain.key


SITE_FORMS = [
    "example.vn",
    "example.vn.",
    "EXAMPLE.VN",
    "www.example.vn",
    "http://WWW.Example.vn/x?y",
    "https://example.vn",
    "https://example.vn/",
    "https://example.vn:443/dang-nhap#top",
    "http://user@example.vn/a/b",
    "//example.vn/path",
    "ＥＸＡＭＰＬＥ．ｖｎ",
]


@pytest.mark.parametrize("form", SITE_FORMS)
def test_url_forms_of_one_site_match(form):
    found = identifiers.website(form)
    assert found is not None, form
    assert found.key == "web:example.vn"
    assert identifiers.parse_query(form).keys[0] == "web:example.vn"


@FAST
@given(
    scheme=st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    www=st.sampled_from(["", "www.", "WWW."]),
    case=st.sampled_from([str.lower, str.upper, str.title]),
    dot=st.sampled_from(["", "."]),
    path=st.sampled_from(["", "/", "/login", "/x?y=1", "/a/b#c", "?ref=zalo"]),
)
def test_generated_url_forms_of_one_site_match(scheme, www, case, dot, path):
    form = scheme + case(www + "chongluadao-thu.com.vn") + dot + path
    found = identifiers.website(form)
    assert found is not None, form
    assert found.key == "web:chongluadao-thu.com.vn"
    assert found.domain == "chongluadao-thu.com.vn"


def test_idn_and_punycode_forms_are_one_site():
    unicode_form = identifiers.website("https://thông-báo.vn/nhận-quà")
    punycode_form = identifiers.website("xn--thng-bo-mwa0o.vn")
    assert unicode_form.key == punycode_form.key
    assert unicode_form.display == "thông-báo.vn"


def test_a_subdomain_carries_its_registrable_domain():
    found = identifiers.website("https://dang-nhap.vietcombank-xacminh.com/x")
    assert found.key == "web:dang-nhap.vietcombank-xacminh.com"
    assert found.parent_key == "web:vietcombank-xacminh.com"
    # Public suffixes, private ones too: a blog on a shared host is its own site.
    blog = identifiers.website("https://lua-dao.blogspot.com")
    assert blog.parent_key == "" and blog.domain == "lua-dao.blogspot.com"
    gov = identifiers.website("https://dichvucong.gov.vn")
    assert gov.domain == "dichvucong.gov.vn"


@pytest.mark.parametrize(
    "raw", ["localhost", "foo", "http://", "mailto:a@b.vn", "javascript:alert(1)", "a..b.vn", "-a.vn", "ftp://x.vn", "1.000.000"]
)
def test_things_that_are_not_websites(raw):
    assert identifiers.website(raw) is None


def test_bank_accounts_from_the_vietqr_list():
    banks = {bank.bin: bank for bank in identifiers.banks()}
    assert banks["970436"].short_name == "Vietcombank"
    assert len(banks) > 40
    a = identifiers.bank_account("970436", "0123 456 789")
    assert a.key == "bank:970436:0123456789"
    assert identifiers.parse_query("Vietcombank 0123456789").keys == (a.key,)
    assert identifiers.parse_query("VCB: 0123.456.789").keys == (a.key,)
    assert identifiers.parse_query("0123456789 vietcombank").keys == (a.key,)
    assert identifiers.bank_account("999999", "0123456789") is None
    assert identifiers.bank_account("970436", "12") is None
    # A renamed bank keeps its BIN: one entry per BIN, the current name.
    assert banks["970406"].short_name != "DongA Bank"


def test_social_accounts_from_handles_and_links():
    assert identifiers.social("facebook", "@Nguyen.Van.A").key == "social:facebook:nguyenvana"
    assert identifiers.social("facebook", "https://www.facebook.com/nguyen.van.a/").key == "social:facebook:nguyenvana"
    assert identifiers.link("https://m.facebook.com/profile.php?id=100012345").key == "social:facebook:100012345"
    assert identifiers.link("https://www.tiktok.com/@ShopGiaRe").key == "social:tiktok:shopgiare"
    assert identifiers.link("https://zalo.me/0912345678").key == "social:zalo:+84912345678"
    assert identifiers.link("t.me/QuaTang").key == "social:telegram:quatang"
    assert identifiers.social("tiktok", "https://facebook.com/abc") is None
    assert identifiers.social("myspace", "abc") is None
    # The home page of a platform is a website, not an account.
    assert identifiers.link("https://facebook.com/").kind == identifiers.WEBSITE


GARBAGE = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=100).map(lambda b: b.decode("latin-1")),
    st.text(alphabet="0123456789+-.() /:@[]%#?", max_size=60),
    st.from_regex(r"(https?://)?[\w.\-\[\]:@%]{0,60}(/\S{0,20})?", fullmatch=True),
)


@settings(max_examples=150, deadline=None)
@given(raw=GARBAGE, bank=st.text(max_size=10), platform=st.sampled_from(["facebook", "zalo", "x", "", "??"]))
def test_garbage_never_raises(raw, bank, platform):
    for result in (
        identifiers.phone(raw), identifiers.website(raw), identifiers.link(raw),
        identifiers.bank_account(bank, raw), identifiers.social(platform, raw),
    ):
        assert result is None or (result.key and len(result.key) <= 320 and "\x00" not in result.key)
    query = identifiers.parse_query(raw)
    assert all(len(key) <= 320 for key in query.keys)


def test_non_strings_are_refused_quietly():
    for value in (None, 12, b"0912345678", ["x"]):
        assert identifiers.phone(value) is None
        assert identifiers.parse_query(value).recognised is False


def test_normalising_never_touches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the suffix list must come from the bundled snapshot")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    import tldextract

    fresh = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
    assert fresh("https://a.b.example.co.uk").top_domain_under_public_suffix == "example.co.uk"
    assert identifiers.website("https://thử.example.com.vn/x").domain == "example.com.vn"
