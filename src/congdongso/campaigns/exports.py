"""The commendation proposal as a file: XLSX (a sheet for members, one for teams) or CSV (one table,
a column saying which). Vietnamese headers; every export is audited (ids and counts only)."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from congdongso.campaigns.commendations import Proposal, Row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def headers(kind: str) -> list[str]:
    return [
        _("STT"),
        _("Họ tên") if kind == "member" else _("Tên tổ"),
        _("Tổ CNSCĐ") if kind == "member" else _("Thôn/xã"),
        _("Lượt hỗ trợ được tính (xong, một phần)"),
        _("Hộ được hỗ trợ đã có hạt nhân số"),
        _("Lượt bị loại (ghi dồn dập)"),
        _("Ghi chú"),
    ]


def _note(row: Row, proposal: Proposal) -> str:
    if not row.flagged:
        return ""
    return _("Có lượt ghi quá %(limit)s lượt trong 60 phút: không tính") % {"limit": proposal.limit}


def _values(row: Row, proposal: Proposal) -> list:
    return [row.rank, row.name, row.where, row.assists, row.households, row.excluded, _note(row, proposal)]


def _title(proposal: Proposal) -> str:
    return _("Danh sách đề xuất khen thưởng — %(unit)s — từ %(start)s đến %(end)s") % {
        "unit": proposal.unit.name, "start": proposal.starts_on.strftime("%d/%m/%Y"),
        "end": proposal.ends_on.strftime("%d/%m/%Y"),
    }


def proposal_xlsx(proposal: Proposal) -> bytes:
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for kind, title, rows in (
        ("member", _("Cá nhân"), proposal.members), ("team", _("Tổ CNSCĐ"), proposal.teams),
    ):
        sheet = book.create_sheet(title)
        for column, width in zip("ABCDEFG", (6, 32, 36, 18, 18, 16, 40), strict=True):
            sheet.column_dimensions[column].width = width
        heading = WriteOnlyCell(sheet, value=_title(proposal))
        heading.font = bold
        sheet.append([heading])
        sheet.append([])
        header_cells = []
        for text in headers(kind):
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(_values(row, proposal))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def proposal_csv(proposal: Proposal) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Loại"), *headers("member")[:1], _("Tên"), _("Tổ CNSCĐ / đơn vị"), *headers("member")[3:]])
    for kind, rows in ((_("Cá nhân"), proposal.members), (_("Tổ CNSCĐ"), proposal.teams)):
        for row in rows:
            writer.writerow([kind, *_values(row, proposal)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

