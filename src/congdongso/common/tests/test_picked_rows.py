"""`picked_rows` (the household import's row reader) reads every row exactly as `keyed_rows` does:
the same rows kept (blank rows skipped), the same stripped cells, "" for a column the file does
not have or a row too short to reach — whatever the widths, blanks and spaces of the rows."""

from hypothesis import given
from hypothesis import strategies as st

from congdongso.common.tabular import keyed_rows, picked_rows

cell = st.one_of(st.sampled_from(["", " ", "\t", "x", " có ", "H1", "\u00a0", "a b", "  0912 345 678 "]), st.text(max_size=6))
table = st.lists(st.lists(cell, max_size=8), max_size=15)
# Canonical columns -> the index each is read from, or None when the header does not have it.
layout = st.lists(st.one_of(st.none(), st.integers(0, 9)), min_size=1, max_size=6)


@given(rows=table, indexes=layout)
def test_picked_rows_read_what_keyed_rows_read(rows, indexes):
    names = [f"c{n}" for n in range(len(indexes))]
    columns = {name: index for name, index in zip(names, indexes, strict=True) if index is not None}
    expected = [
        (line, tuple(row.get(name, "") for name in names))
        for line, row in keyed_rows(enumerate([list(r) for r in rows], start=2), columns)
    ]
    got = list(picked_rows(enumerate([list(r) for r in rows], start=2), indexes))
    assert got == expected


def test_a_short_row_and_an_absent_column_read_as_empty():
    rows = [(2, ["H1", " T1 "]), (3, ["  ", ""]), (4, ["H2"]), (5, ["", "", "", "note"])]
    assert list(picked_rows(iter(rows), [0, None, 1])) == [
        (2, ("H1", "", "T1")), (4, ("H2", "", "")), (5, ("", "", "")),
    ]
