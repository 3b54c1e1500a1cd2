"""Helpers of the report tests: posting the report form, reading the files back."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def month_moment(month: str, day: int = 15) -> dt.datetime:
    """Noon on a day of a month ('2026-04'), Vietnam time."""
    return dt.datetime(int(month[:4]), int(month[5:7]), day, 12, 0, tzinfo=VIETNAM)


def shift_month(month: str, delta: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def report_post(kind: str = "month", *, month: str = "", quarter: int | None = None, year: int | None = None,
                fmt: str = "xlsx") -> dict:
    data = {"kind": kind, "format": fmt, "month": month}
    if quarter is not None:
        data["quarter"] = str(quarter)
    if year is not None:
        data["year"] = str(year)
    return data


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def open_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))


def sheet_table(ws) -> dict[str, dict[str, object]]:
    """Code -> {header: value} for the data rows of a report sheet (header on row 3)."""
    rows = list(ws.iter_rows(values_only=True))
    header = rows[2]
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows[3:]}


def csv_table(data: bytes) -> tuple[list[list[str]], dict[str, dict[str, str]]]:
    """(the first three lines, code -> {header: value}) of a CSV report."""
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = lines[2]
    return lines[:3], {line[2]: dict(zip(header, line, strict=True)) for line in lines[3:]}
