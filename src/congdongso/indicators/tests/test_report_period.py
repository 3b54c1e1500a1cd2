"""Report periods: parsing the stored code, the months of a quarter, the default periods."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdongso.indicators.reports import ReportPeriod, last_complete_month, last_complete_quarter


@given(st.integers(1, 9999), st.integers(1, 12))
def test_a_month_code_round_trips(year, month):
    period = ReportPeriod(year, month=month)
    assert ReportPeriod.parse(period.code) == period
    assert period.months == [period.code]


@given(st.integers(1, 9999), st.integers(1, 4))
def test_a_quarter_has_its_three_months(year, quarter):
    period = ReportPeriod.parse(f"{year:04d}-Q{quarter}")
    assert period.code == f"{year:04d}-Q{quarter}"
    assert [int(m[5:]) for m in period.months] == [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]
    assert period.first_day == dt.date(year, 3 * quarter - 2, 1)


@given(st.text(max_size=12))
def test_parse_takes_a_period_code_or_raises_value_error(text):
    try:
        period = ReportPeriod.parse(text)
    except ValueError:
        return
    assert period.code == text


@pytest.mark.parametrize("code", ["٢٠٢٦-01", "2026-٠١", "2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026-1", "26-01", "2026-01 ", ""])
def test_bad_codes_are_refused(code):
    with pytest.raises(ValueError):
        ReportPeriod.parse(code)


@pytest.mark.parametrize(
    ("today", "month", "quarter"),
    [
        (dt.date(2026, 1, 10), "2025-12", "2025-Q4"),
        (dt.date(2026, 3, 31), "2026-02", "2025-Q4"),
        (dt.date(2026, 4, 1), "2026-03", "2026-Q1"),
        (dt.date(2026, 11, 22), "2026-10", "2026-Q3"),
    ],
)
def test_defaults_are_the_last_complete_month_and_quarter(today, month, quarter):
    assert last_complete_month(today).code == month
    assert last_complete_quarter(today).code == quarter
