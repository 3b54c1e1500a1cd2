"""Reading a village list (CSV or XLSX) and checking every row before anything is written.

Columns (header row first; Vietnamese or English names, any case, diacritics optional):
  ma_xa / commune_code   official code of a current commune (e.g. 00004 or 4)
  ten / name             village name
  loai / kind            thôn, ấp, bản, khóm, tổ dân phố, khác (default: thôn)
  ma / code              optional code of the village itself; never one already used
Line numbers count the header as line 1, like a spreadsheet.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext as _

from congdongso.common.text import clean_name, fold
from congdongso.geo.models import Kind, Level, Unit
from congdongso.geo.naming import village_search_name
from congdongso.geo.services import VillageSpec, is_valid_code

MAX_ROWS = 20_000

_HEADER_ALIASES = {
    "commune_code": {"ma_xa", "ma_xa_phuong", "commune_code", "commune", "ma_don_vi_cap_xa"},
    "name": {"ten", "ten_thon", "ten_thon_to_dan_pho", "name", "village", "village_name"},
    "kind": {"loai", "kind", "loai_thon"},
    "code": {"ma", "ma_thon", "code", "village_code"},
}
_KIND_ALIASES = {
    "": Kind.THON, "thon": Kind.THON, "ap": Kind.AP, "ban": Kind.BAN, "khom": Kind.KHOM,
    "to dan pho": Kind.TO_DAN_PHO, "tdp": Kind.TO_DAN_PHO, "khac": Kind.OTHER_VILLAGE,
    "lang": Kind.OTHER_VILLAGE, "buon": Kind.OTHER_VILLAGE, "phum": Kind.OTHER_VILLAGE,
    "soc": Kind.OTHER_VILLAGE, "other": Kind.OTHER_VILLAGE,
    **{value: value for value in (Kind.THON, Kind.AP, Kind.BAN, Kind.KHOM, Kind.TO_DAN_PHO, Kind.OTHER_VILLAGE)},
}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Dòng %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportCheck:
    specs: list[VillageSpec]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, encoding, missing columns)."""


def read_rows(stream: BinaryIO, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row keyed by canonical column) for each filled row of a CSV or XLSX file.

    A wrong file type, encoding or header raises FileProblem here, at once; a CSV line that
    cannot be parsed raises it while the rows are read. Blank lines are skipped but still counted,
    so line numbers match what a spreadsheet shows.
    """
    numbered = enumerate(_raw_rows(stream, filename), start=1)
    for _line, header in numbered:
        if not _is_blank(header):
            return _data_rows(numbered, _columns(header))
    raise FileProblem(_("Tệp trống."))


def _raw_rows(stream: BinaryIO, filename: str) -> Iterator[list]:
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(stream)
    if suffix == ".xlsx":
        return _xlsx_rows(stream)
    raise FileProblem(_("Chỉ nhận tệp .csv hoặc .xlsx."))


def _data_rows(
    numbered: Iterator[tuple[int, list]], columns: dict[str, int]
) -> Iterator[tuple[int, dict[str, str]]]:
    for line, values in numbered:
        if not _is_blank(values):
            yield line, {key: _cell(values, index) for key, index in columns.items()}


def _is_blank(values: list) -> bool:
    return not any(str(v if v is not None else "").strip() for v in values)


def _cell(values: list, index: int) -> str:
    if index >= len(values) or values[index] is None:
        return ""
    value = values[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# How a missing column is named to the user: the Vietnamese header the template uses.
_COLUMN_TITLES = {"commune_code": "ma_xa", "name": "ten"}


def _columns(header: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = fold(str(title if title is not None else "")).replace(" ", "_").replace("/", "_")
        for canonical, aliases in _HEADER_ALIASES.items():
            if key in aliases and canonical not in found:
                found[canonical] = index
    missing = [_COLUMN_TITLES[name] for name in ("commune_code", "name") if name not in found]
    if missing:
        raise FileProblem(
            _("Thiếu cột bắt buộc: %(columns)s (dòng tiêu đề cần có cột “ma_xa” và “ten”).")
            % {"columns": ", ".join(f"“{name}”" for name in missing)}
        )
    return found


def _csv_rows(stream: BinaryIO) -> Iterator[list]:
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(_("Tệp CSV phải được lưu với mã hóa UTF-8.")) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        yield from reader
    except csv.Error:
        raise FileProblem(_("Tệp CSV sai định dạng ở dòng %(line)s.") % {"line": reader.line_num}) from None


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel in Vietnamese locale) or tab: whichever the header line uses most."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=first_line.count)


def _xlsx_rows(stream: BinaryIO) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise FileProblem(_("Không đọc được tệp Excel (.xlsx).")) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def check_village_rows(
    rows: Iterator[tuple[int, dict[str, str]]], *, within: list[Unit] | None = None
) -> ImportCheck:
    """Check every row; `within` limits communes to those units' subtrees (None: anywhere)."""
    communes = {
        code: unit
        for code, unit in (
            (unit.code, unit)
            for unit in Unit.objects.current().filter(level=Level.COMMUNE).only(
                "id", "code", "name", "path", "depth", "level", "is_legacy", "valid_until"
            )
        )
    }
    taken_codes = set(Unit.objects.filter(level=Level.VILLAGE, is_legacy=False).values_list("code", flat=True))
    existing_names = set(
        Unit.objects.current().filter(level=Level.VILLAGE).values_list("parent_id", "search_name")
    )
    seen_names: dict[tuple[int, str], int] = {}
    seen_codes: dict[str, int] = {}
    specs: list[VillageSpec] = []
    errors: list[RowError] = []
    count = 0
    for line, row in rows:
        count += 1
        if count > MAX_ROWS:
            errors.append(RowError(line, _("Tệp quá lớn: tối đa %(max)s dòng mỗi lần nhập.") % {"max": MAX_ROWS}))
            break
        problems: list[str] = []
        code_in = row.get("commune_code", "")
        commune_code = code_in.zfill(5) if code_in.isascii() and code_in.isdigit() else code_in
        commune = communes.get(commune_code)
        if not code_in:
            problems.append(_("thiếu mã xã/phường"))
        elif commune is None:
            problems.append(_("không có xã/phường đang hoạt động mang mã “%(code)s”") % {"code": code_in[:32]})
        elif within is not None and not any(commune.path.startswith(u.path) for u in within):
            problems.append(_("xã/phường mã “%(code)s” không thuộc phạm vi của bạn") % {"code": commune_code})
        name = clean_name(row.get("name", ""))
        if not name:
            problems.append(_("tên thôn/tổ dân phố để trống"))
        elif len(name) > 200:
            problems.append(_("tên quá dài (tối đa 200 ký tự)"))
        kind = _KIND_ALIASES.get(fold(row.get("kind", "")))
        if kind is None:
            problems.append(_("loại “%(kind)s” không hợp lệ (thôn, ấp, bản, khóm, tổ dân phố, khác)") % {"kind": row.get("kind", "")[:40]})
        code = row.get("code", "")
        if code and not is_valid_code(code):
            problems.append(_("mã thôn “%(code)s” không hợp lệ") % {"code": code[:40]})
        elif code and code in taken_codes:
            problems.append(_("mã thôn “%(code)s” đã được dùng") % {"code": code})
        elif code and code in seen_codes:
            problems.append(_("mã thôn “%(code)s” trùng với dòng %(line)s") % {"code": code, "line": seen_codes[code]})
        if commune is not None and name:
            key = (commune.pk, village_search_name(name))
            if key in existing_names:
                problems.append(_("“%(name)s” đã có trong xã/phường này") % {"name": name})
            elif key in seen_names:
                problems.append(_("trùng với dòng %(line)s") % {"line": seen_names[key]})
            else:
                seen_names[key] = line
        if code:
            seen_codes.setdefault(code, line)
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
        elif commune is not None and kind is not None:
            specs.append(VillageSpec(commune=commune, name=name, kind=kind, code=code))
    if count == 0 and not errors:
        errors.append(RowError(1, _("tệp không có dòng dữ liệu nào")))
    return ImportCheck(specs=specs, errors=errors)
