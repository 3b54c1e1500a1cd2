"""Deadlines of data-subject requests (Law 91/2025/QH15, Decree 356/2025/NĐ-CP).

- Acknowledge within 2 *working* days of receipt: Saturdays, Sundays and the public holidays below
  are skipped.
- Complete within 15 days of receipt, 20 when a processor (another organisation that processes the
  data for us) must act too. These are calendar days.

The holiday table is small data kept in code: the fixed-date holidays of the Labour Code (art. 112)
and, per year, the lunar ones (Tết, the Hùng Kings' day) with their bridge days as the government
announces them. A holiday missing from the table only makes a deadline a little early (never late),
which is the safe side; add each year's dates when they are announced.
"""

import datetime as dt

ACKNOWLEDGE_WORKING_DAYS = 2
COMPLETE_DAYS = 15
COMPLETE_DAYS_WITH_PROCESSOR = 20

# Fixed-date public holidays (month, day): New Year, Reunification Day, Labour Day, National Day.
# (National Day's second day moves between 1/9 and 3/9: it goes in the dated table by year.)
FIXED_HOLIDAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (4, 30), (5, 1), (9, 2)})

# Holidays that move with the lunar calendar (Tết, Hùng Kings' day) and official bridge days.
DATED_HOLIDAYS: frozenset[dt.date] = frozenset(
    {
        # 2026: Tết Bính Ngọ (the break of 14–22/2), Giỗ Tổ Hùng Vương (10/3 lunar = 26/4, a Sunday,
        # taken on Monday 27/4).
        *(dt.date(2026, 2, day) for day in range(14, 23)),
        dt.date(2026, 4, 27),
    }
)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS and day not in DATED_HOLIDAYS


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the day of receipt itself does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def acknowledge_by(received_on: dt.date) -> dt.date:
    return add_working_days(received_on, ACKNOWLEDGE_WORKING_DAYS)


def complete_by(received_on: dt.date, *, processor_involved: bool) -> dt.date:
    days = COMPLETE_DAYS_WITH_PROCESSOR if processor_involved else COMPLETE_DAYS
    return received_on + dt.timedelta(days=days)
