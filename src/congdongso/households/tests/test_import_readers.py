"""The parts the import's speed rests on give the same answers as the slow, obvious way (hypothesis):
the XLSX reader against openpyxl, the phone shortcut against normalise_phone, the sensitive-text
shortcut against sensitive_kind; and bulk ids are UUIDv7, unique and ordered."""

import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from congdongso.common.ids import new_ids
from congdongso.common.phones import normalise_phone
from congdongso.common.sensitive import sensitive_kind
from congdongso.common.tabular import XlsxBook
from congdongso.households.importing import _sensitive_kind, normalise_phone_fast

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " .,-/:" + string.digits, max_size=30)
cell = st.one_of(
    st.none(), text.filter(lambda s: s.strip() == s and s != ""), st.integers(-10**9, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
)
grid = st.lists(st.lists(cell, max_size=8), min_size=1, max_size=12)


def as_text(value) -> str:
    """How a cell reads as text: what the import sees (4 not 4.0, TRUE/FALSE, "" for empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def workbook(rows, *, write_only: bool) -> bytes:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Hộ gia đình") if write_only else book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=grid, write_only=st.booleans())
def test_the_xlsx_reader_reads_what_openpyxl_reads(rows, write_only):
    data = workbook(rows, write_only=write_only)
    book = XlsxBook(io.BytesIO(data))
    ours = {line: [v for v in values] for line, values in book.rows(book.sheet_names[0])}
    theirs = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    for line, values in enumerate(theirs.iter_rows(values_only=True), start=1):
        expected = [as_text(v) for v in values]
        while expected and expected[-1] == "":
            expected.pop()
        got = list(ours.get(line, []))
        while got and got[-1] == "":
            got.pop()
        assert got == expected, (line, got, expected)


separators = st.sampled_from(["", " ", ".", "-", "  ", ". ", " - ", "/", "(", ")"])


@settings(max_examples=500, deadline=None)
@given(
    digits=st.lists(st.sampled_from(string.digits), min_size=8, max_size=12),
    between=st.lists(separators, min_size=12, max_size=12),
    prefix=st.sampled_from(["0", "", "+84", "84", " 0", "00"]),
)
def test_the_phone_shortcut_agrees_with_normalise_phone(digits, between, prefix):
    raw = prefix + "".join(d + s for d, s in zip(digits, between, strict=False))
    assert normalise_phone_fast(raw) == normalise_phone(raw), raw


CREDENTIAL_WORDS = ["mật khẩu", "MK", "pass", "Password", "OTP", "mã OTP", "mã xác thực", "mã PIN", "pw", "mã bảo mật"]
risky = st.lists(
    st.one_of(text, st.sampled_from(CREDENTIAL_WORDS), st.sampled_from([": ", " là ", "=", " 123456", "001099012345"])),
    max_size=6,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(value=st.one_of(risky, st.text(max_size=40)))
def test_the_sensitive_text_shortcut_agrees_with_sensitive_kind(value):
    assert _sensitive_kind(value) == sensitive_kind(value), value


def test_bulk_ids_are_ordered_unique_uuid7():
    ids = new_ids(50_000) + new_ids(10)
    assert len(set(ids)) == len(ids)
    assert ids[:50_000] == sorted(ids[:50_000])
    assert {i.version for i in ids} == {7} and {i.variant for i in ids} == {"specified in RFC 4122"}
    assert new_ids(0) == []
