"""The periodic report of a unit: one table per level (the unit, its communes, its villages), one
row per unit, one column per indicator, read from tallies only.

Current-state indicators are taken as they are when the report is made; monthly ones are summed
over the months of the period (a month or a quarter); ratios are the ratio of the summed metrics,
shown as percentages. Written as XLSX (openpyxl write_only, one sheet per level) or CSV (UTF-8
with BOM, one table with a level column), row by row, so a request streams a small report and a
background task (ReportJob, tasks.py) builds a large one with progress.
"""

import csv
import datetime as dt
import io
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from congdongso.audit.writer import record
from congdongso.geo.models import Level, Unit
from congdongso.indicators.models import Indicator, Kind, ReportFormat, ReportJob, ReportStatus
from congdongso.indicators.selectors import unit_values

logger = logging.getLogger(__name__)

CHUNK = 500
"""Units per tally query (and per progress update)."""
PROGRESS_EVERY_SECONDS = 0.5
FIRST_YEAR = 2020
"""No report before this year: the teams were set up from 2021 (QĐ 1881 of the Minister of ICT)."""

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"

COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"

Progress = Callable[[int, int], None]
"""(rows done, rows in all)"""

# Report levels, top down; legacy districts are history and have no sheet.
LEVELS = (Level.PROVINCE, Level.COMMUNE, Level.VILLAGE)


def level_title(level: str) -> str:
    """A sheet's name: Excel refuses "/" in sheet names, and the names are at most 31 characters."""
    return {
        Level.PROVINCE: _("Tỉnh, thành phố"),
        Level.COMMUNE: _("Xã, phường, đặc khu"),
        Level.VILLAGE: _("Thôn, tổ dân phố"),
    }[level]


# --- the period -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPeriod:
    """A calendar month (month 1-12) or quarter (quarter 1-4) of a year."""

    year: int
    month: int = 0
    quarter: int = 0

    def __post_init__(self) -> None:
        if bool(self.month) == bool(self.quarter):
            raise ValueError("a period is a month or a quarter")
        in_range = 1 <= self.month <= 12 if self.month else 1 <= self.quarter <= 4
        if not in_range or not 1 <= self.year <= 9999:
            raise ValueError("no such period")

    @classmethod
    def parse(cls, code: str) -> "ReportPeriod":
        """'2026-01' (a month) or '2026-Q1' (a quarter); ValueError otherwise."""
        found = re.fullmatch(r"([0-9]{4})-(?:([0-9]{2})|Q([1-4]))", code or "")
        if not found:
            raise ValueError(f"not a report period: {code!r:.40}")
        year, month, quarter = found.groups()
        return cls(int(year), month=int(month or 0), quarter=int(quarter or 0))

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}-Q{self.quarter}"

    @property
    def months(self) -> list[str]:
        numbers = [self.month] if self.month else range(3 * self.quarter - 2, 3 * self.quarter + 1)
        return [f"{self.year:04d}-{n:02d}" for n in numbers]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 3 * self.quarter - 2, 1)

    @property
    def label(self) -> str:
        if self.month:
            return _("tháng %(month)02d/%(year)d") % {"month": self.month, "year": self.year}
        return _("quý %(quarter)d/%(year)d") % {"quarter": self.quarter, "year": self.year}


def last_complete_month(today: dt.date | None = None) -> ReportPeriod:
    today = today or timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return ReportPeriod(last.year, month=last.month)


def last_complete_quarter(today: dt.date | None = None) -> ReportPeriod:
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3  # the one before the current quarter; 0: last year's fourth
    return ReportPeriod(today.year, quarter=quarter) if quarter else ReportPeriod(today.year - 1, quarter=4)


# --- what the report holds --------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    pk: int
    name: str
    code: str
    parent_name: str


@dataclass
class Sheet:
    level: str
    title: str
    rows: Callable[[], list[UnitRow]]  # read when the sheet is written
    count: int


@dataclass
class Report:
    unit: Unit
    period: ReportPeriod
    indicators: list[Indicator]
    made_at: dt.datetime
    sheets: list[Sheet] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(sheet.count for sheet in self.sheets)

    @property
    def title(self) -> str:
        return _("Báo cáo %(period)s: %(unit)s") % {"period": self.period.label, "unit": self.unit.name}

    @property
    def note(self) -> str:
        return _(
            "Số liệu tổng hợp. Chỉ tiêu hiện trạng (số hộ, số thành viên, tỷ lệ hộ có hạt nhân số…): tại thời điểm lập báo cáo, "
            "%(made_at)s. Chỉ tiêu theo tháng (%(monthly)s): cộng dồn %(period)s."
        ) % {
            "made_at": timezone.localtime(self.made_at).strftime("%H:%M %d/%m/%Y"),
            "monthly": ", ".join(ind.name for ind in self.indicators if ind.monthly) or "—",
            "period": self.period.label,
        }

    def file_name(self, fmt: str) -> str:
        return f"bao-cao-{self.unit.code}-{self.period.code}.{fmt}"


def _level_rows(unit: Unit, level: str) -> Callable[[], list[UnitRow]]:
    def read() -> list[UnitRow]:
        if level == unit.level:
            return [UnitRow(unit.pk, unit.name, unit.code, unit.parent.name if unit.parent_id else "")]
        rows = (
            Unit.objects.current().filter(path__prefix=unit.path, level=level)
            .order_by("parent__name", "name", "pk").values_list("pk", "name", "code", "parent__name")
        )
        return [UnitRow(pk, name, code, parent or "") for pk, name, code, parent in rows]

    return read


def report_of(unit: Unit, period: ReportPeriod, *, made_at: dt.datetime | None = None) -> Report:
    """The plan of a unit's report: which sheets, how many rows. The caller checked scope."""
    report = Report(unit, period, list(Indicator.objects.all()), made_at or timezone.now())
    report.sheets.append(Sheet(unit.level, level_title(unit.level), _level_rows(unit, unit.level), 1))
    below = LEVELS[LEVELS.index(unit.level) + 1 :] if unit.level in LEVELS else ()
    if below:
        counts = dict(
            Unit.objects.current().filter(path__prefix=unit.path, level__in=below)
            .values_list("level").annotate(n=Count("pk")).order_by()
        )
        for level in below:
            if counts.get(level):
                report.sheets.append(Sheet(level, level_title(level), _level_rows(unit, level), counts[level]))
    return report


def indicator_value(indicator: Indicator, values: dict[str, int]) -> int | float | None:
    """A count, or a ratio as a fraction (0.875 shows as 87.5%); None when the denominator is 0."""
    numerator = values.get(indicator.numerator, 0)
    if indicator.kind == Kind.COUNT:
        return numerator
    denominator = values.get(indicator.denominator, 0)
    return numerator / denominator if denominator else None


def percent(fraction: float | None) -> float | None:
    """A ratio as the dashboard shows it: a percentage with one decimal."""
    return None if fraction is None else round(100 * fraction, 1)


def sheet_rows(
    report: Report, sheet: Sheet, *, done: int = 0, progress: Progress | None = None,
) -> Iterator[tuple[UnitRow, list[int | float | None]]]:
    """The rows of one sheet with their indicator values, one tally query per CHUNK units."""
    metrics = {m for ind in report.indicators for m in ind.metrics}
    rows = sheet.rows()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        values = unit_values(
            [row.pk for row in chunk], months=report.period.months, metrics=metrics,
            today=timezone.localdate(report.made_at),
        )
        for row in chunk:
            yield row, [indicator_value(ind, values[row.pk]) for ind in report.indicators]
        if progress is not None:
            progress(done + start + len(chunk), report.total_rows)


# --- writing ----------------------------------------------------------------------------------------

NAME_WIDTH, CODE_WIDTH, PARENT_WIDTH, VALUE_WIDTH = 34, 12, 28, 15
HEADER_HEIGHT = 78  # points: four lines of a wrapped indicator name
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")


def head_columns() -> list[str]:
    return [_("Tên đơn vị"), _("Mã"), _("Thuộc")]


def write_xlsx(report: Report, out: io.BufferedIOBase | io.BytesIO, progress: Progress | None = None) -> int:
    """Write the report as XLSX into `out`, one sheet per level; returns the rows written."""
    workbook = Workbook(write_only=True)
    done = 0
    for sheet in report.sheets:
        ws = workbook.create_sheet(sheet.title)
        widths = [NAME_WIDTH, CODE_WIDTH, PARENT_WIDTH] + [VALUE_WIDTH] * len(report.indicators)
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.row_dimensions[3].height = HEADER_HEIGHT
        ws.freeze_panes = "B4"  # the title, note and header rows, and the names

        ws.append([_cell(ws, f"{report.title} — {sheet.title}", font=Font(bold=True, size=13))])
        ws.append([_cell(ws, report.note, font=Font(italic=True, color="555555"))])
        header = head_columns() + [ind.name for ind in report.indicators]
        ws.append([
            _cell(ws, text, font=Font(bold=True), fill=HEADER_FILL,
                  alignment=Alignment(wrap_text=True, vertical="top", horizontal="left" if i < 3 else "center"))
            for i, text in enumerate(header)
        ])
        formats = [PERCENT_FORMAT if ind.kind == Kind.RATIO else COUNT_FORMAT for ind in report.indicators]
        for row, values in sheet_rows(report, sheet, done=done, progress=progress):
            ws.append([row.name, row.code, row.parent_name] + [
                None if value is None else _cell(ws, value, number_format=number_format)
                for value, number_format in zip(values, formats, strict=True)
            ])
        done += sheet.count
    workbook.save(out)
    return done


def _cell(ws, value, *, font=None, fill=None, alignment=None, number_format=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    return cell


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, text: str) -> str:
        return text


def csv_header(report: Report) -> list[str]:
    return [_("Cấp")] + head_columns() + [
        f"{ind.name} (%)" if ind.kind == Kind.RATIO else ind.name for ind in report.indicators
    ]


def csv_lines(report: Report, progress: Progress | None = None) -> Iterator[str]:
    """The report as CSV lines: a title line, a note line, the header, then one line per unit (all
    levels in one table, a level column first). The first line starts with a BOM so that Excel
    reads UTF-8; numbers are plain (no thousands separator), ratios are percentages."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([report.title])
    yield writer.writerow([report.note])
    yield writer.writerow(csv_header(report))
    done = 0
    for sheet in report.sheets:
        for row, values in sheet_rows(report, sheet, done=done, progress=progress):
            cells = [_csv_value(ind, value) for ind, value in zip(report.indicators, values, strict=True)]
            yield writer.writerow([sheet.title, row.name, row.code, row.parent_name] + cells)
        done += sheet.count


def _csv_value(indicator: Indicator, value: int | float | None) -> str:
    if value is None:
        return ""
    return f"{percent(value):.1f}" if indicator.kind == Kind.RATIO else str(value)


def report_bytes(report: Report, fmt: str, progress: Progress | None = None) -> bytes:
    if fmt == ReportFormat.CSV:
        return "".join(csv_lines(report, progress)).encode("utf-8")
    out = io.BytesIO()
    write_xlsx(report, out, progress)
    return out.getvalue()


# --- exporting: audited; large reports in the background -------------------------------------------


def sync_max_rows() -> int:
    return settings.REPORT_SYNC_MAX_ROWS


def report_export_record(*, actor_id: int, report: Report, fmt: str) -> None:
    """Audit an export made inside the request (ids and codes only)."""
    record(
        actor_id=actor_id, action="report.export", object_type="geo.unit", object_id=report.unit.pk,
        unit_id=report.unit.pk, details={"period": report.period.code, "format": fmt, "rows": report.total_rows},
    )


def report_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Drop the files of finished report jobs past their time; the rows stay as history."""
    now = now or timezone.now()
    return ReportJob.objects.filter(expires_at__lte=now, file_size__gt=0).update(file_data=b"", file_size=0)


def report_job_start(*, unit: Unit, period: ReportPeriod, fmt: str, actor_id: int, total_rows: int = 0) -> ReportJob:
    """Queue a report for a background task (the caller checked scope). Audited as an export."""
    from congdongso.indicators.tasks import build_report_task

    report_jobs_expire()
    job = ReportJob.objects.create(
        unit=unit, period=period.code, format=fmt, created_by_id=actor_id, total_rows=total_rows,
    )
    record(
        actor_id=actor_id, action="report.queue", object_type="indicators.reportjob", object_id=job.pk,
        unit_id=unit.pk, details={"period": period.code, "format": fmt, "rows": total_rows},
    )
    build_report_task.enqueue(job_id=str(job.pk))
    return job


def _job_progress(job_id) -> Progress:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or done >= total:
            ReportJob.objects.filter(pk=job_id).update(done_rows=done, total_rows=max(total, done))
            last[0] = now

    return progress


def report_job_run(*, job_id) -> str:
    """Build a queued report; returns the final status. Runs once: a job that is no longer queued
    (already run, or being run) is left alone."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return ""
    report_jobs_expire()
    job = ReportJob.objects.select_related("unit").defer("file_data").get(pk=job_id)
    try:
        report = report_of(job.unit, ReportPeriod.parse(job.period))
        ReportJob.objects.filter(pk=job.pk).update(total_rows=report.total_rows)
        data = report_bytes(report, job.format, _job_progress(job.pk))
    except Exception:
        logger.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.FAILED, finished_at=timezone.now())
        raise
    finished = timezone.now()
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportStatus.DONE, file_data=data, file_size=len(data), file_name=report.file_name(job.format),
        done_rows=report.total_rows, total_rows=report.total_rows, finished_at=finished,
        expires_at=finished + dt.timedelta(hours=settings.REPORT_FILE_KEEP_HOURS),
    )
    return ReportStatus.DONE


def report_download_record(*, actor_id: int, job: ReportJob) -> None:
    record(
        actor_id=actor_id, action="report.download", object_type="indicators.reportjob", object_id=job.pk,
        unit_id=job.unit_id, details={"period": job.period, "format": job.format, "bytes": job.file_size},
    )

