"""Tally periods: the current state, a calendar month, or a day (for counts that fall due)."""

import datetime as dt

from django.utils import timezone

STATE = ""
"""Current state: households, residents, teams… as they are now."""


def month_of(moment: dt.datetime) -> str:
    """'2026-11': the month in Vietnam's local time (a visit at 23:30 on the 31st is that month)."""
    return timezone.localtime(moment).strftime("%Y-%m")


def day_of(day: dt.date) -> str:
    return day.isoformat()


def months_back(month: str, count: int) -> list[str]:
    """`count` months ending with `month`, oldest first: months_back("2026-02", 3) = 2025-12..2026-02."""
    year, number = int(month[:4]), int(month[5:7])
    result = []
    for _ in range(count):
        result.append(f"{year:04d}-{number:02d}")
        number -= 1
        if number == 0:
            year, number = year - 1, 12
    return result[::-1]
