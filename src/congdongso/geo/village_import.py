"""Reading a village list (CSV or XLSX) and checking every row before anything is written.

Columns (header row first; Vietnamese or English names, any case, diacritics optional):
  ma_xa / commune_code   official code of a current commune (e.g. 00004 or 4)
  ten / name             village name
  loai / kind            thôn, ấp, bản, khóm, tổ dân phố, khác (default: thôn)
  ma / code              optional code of the village itself; never one already used
Line numbers count the header as line 1, like a spreadsheet.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

from congdongso.common.tabular import (  # noqa: F401 (FileProblem and RowError are part of this API)
    FileProblem,
    RowError,
    column_indexes,
    keyed_rows,
    raw_rows,
    split_header,
)
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


@dataclass
class ImportCheck:
    specs: list[VillageSpec]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


# How a missing column is named to the user: the Vietnamese header the template uses.
_REQUIRED = {"commune_code": "ma_xa", "name": "ten"}


def read_rows(stream: BinaryIO, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row keyed by canonical column) for each filled row of a CSV or XLSX file.

    A wrong file type, encoding or header raises FileProblem here, at once; a CSV line that
    cannot be parsed raises it while the rows are read. Blank lines are skipped but still counted,
    so line numbers match what a spreadsheet shows.
    """
    header, rows = split_header(raw_rows(stream, filename))
    return keyed_rows(rows, column_indexes(header, _HEADER_ALIASES, required=_REQUIRED))


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
