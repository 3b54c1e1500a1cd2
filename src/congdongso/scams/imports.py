"""Reading a known-scam list (CSV) and checking every row before anything is written.

Columns (header row first; Vietnamese or English names, any case, diacritics optional):
  loai / kind          so dien thoai, trang web, tai khoan ngan hang, mang xa hoi (blank: guessed
                       from the value: a phone number or a link)
  gia_tri / value      the number, address, account number or handle
  ngan_hang / bank     bank accounts: the bank's BIN, code or name (VCB, Vietcombank, 970436)
  nen_tang / platform  social accounts: facebook, zalo, tiktok, telegram, youtube, instagram, x
  thu_doan / tactic    optional: the code or name of a tactic in the list
  trang_thai / status  lua dao (default) or dang xac minh
Line numbers count the header as line 1, like a spreadsheet. The file is written all or nothing.
"""

import csv
import io
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

from congdongso.common.text import fold
from congdongso.common.uploads import max_bytes, megabytes
from congdongso.scams import identifiers
from congdongso.scams.models import Entity, Kind, ListedStatus, Tactic
from congdongso.scams.services import ImportRow

MAX_ROWS = 50_000
MAX_CELL = 500

_HEADERS = {
    "kind": {"loai", "kind", "type", "loai_doi_tuong"},
    "value": {"gia_tri", "value", "so", "dia_chi", "doi_tuong"},
    "bank": {"ngan_hang", "bank", "ma_ngan_hang"},
    "platform": {"nen_tang", "platform", "mang_xa_hoi"},
    "tactic": {"thu_doan", "tactic"},
    "status": {"trang_thai", "status"},
}
_KINDS = {
    "": "", "phone": Kind.PHONE, "so dien thoai": Kind.PHONE, "dien thoai": Kind.PHONE, "sdt": Kind.PHONE,
    "website": Kind.WEBSITE, "web": Kind.WEBSITE, "trang web": Kind.WEBSITE, "ten mien": Kind.WEBSITE,
    "url": Kind.WEBSITE, "duong dan": Kind.WEBSITE, "link": Kind.WEBSITE,
    "bank_account": Kind.BANK_ACCOUNT, "bank": Kind.BANK_ACCOUNT, "tai khoan": Kind.BANK_ACCOUNT,
    "tai khoan ngan hang": Kind.BANK_ACCOUNT, "stk": Kind.BANK_ACCOUNT, "so tai khoan": Kind.BANK_ACCOUNT,
    "social": Kind.SOCIAL, "mang xa hoi": Kind.SOCIAL, "tai khoan mang xa hoi": Kind.SOCIAL,
}
_STATUSES = {
    "": ListedStatus.CONFIRMED, "lua dao": ListedStatus.CONFIRMED, "confirmed": ListedStatus.CONFIRMED,
    "da xac nhan": ListedStatus.CONFIRMED, "dang xac minh": ListedStatus.VERIFYING,
    "verifying": ListedStatus.VERIFYING, "nghi van": ListedStatus.VERIFYING,
}


class FileProblem(Exception):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class RowResult:
    line: int
    display: str
    outcome: str
    error: bool = False


@dataclass
class ImportCheck:
    rows: list[ImportRow]
    results: list[RowResult]

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.results if r.error]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def read_csv(upload: BinaryIO) -> list[tuple[int, dict[str, str]]]:
    limit = max_bytes("scam_list")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise FileProblem(_("Tệp quá lớn (tối đa %(size)s MB).") % {"size": megabytes(limit)})
    if not data.strip():
        raise FileProblem(_("Tệp trống."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(_("Tệp CSV phải được lưu với mã hóa UTF-8.")) from None
    if "\x00" in text:
        raise FileProblem(_("Tệp có ký tự không hợp lệ (ký tự NUL)."))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, dict[str, str]]] = []
    columns: dict[str, int] | None = None
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if columns is None:
                columns = _columns(values)
                continue
            if len(rows) >= MAX_ROWS:
                raise FileProblem(_("Tệp có quá nhiều dòng (tối đa %(limit)s).") % {"limit": MAX_ROWS})
            rows.append((line, {k: (values[i].strip() if i < len(values) else "") for k, i in columns.items()}))
    except csv.Error:
        raise FileProblem(_("Tệp CSV sai định dạng ở dòng %(line)s.") % {"line": reader.line_num}) from None
    if columns is None:
        raise FileProblem(_("Tệp trống."))
    if not rows:
        raise FileProblem(_("Tệp không có dòng dữ liệu nào."))
    return rows


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = fold(title).replace(" ", "_")
        for canonical, aliases in _HEADERS.items():
            if key in aliases and canonical not in found:
                found[canonical] = index
    if "value" not in found:
        raise FileProblem(_("Thiếu cột bắt buộc “gia_tri” (giá trị: số điện thoại, trang web, số tài khoản...)."))
    return found


def check_rows(rows: list[tuple[int, dict[str, str]]]) -> ImportCheck:
    tactics = _tactic_index()
    checked: list[ImportRow] = []
    results: list[RowResult] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        problem, parsed = _parse_row(row, tactics)
        if problem:
            results.append(RowResult(line, row.get("value", "")[:80], problem, error=True))
            continue
        earlier = first_line.get(parsed.identifier.key)
        if earlier is not None:
            results.append(RowResult(line, parsed.identifier.display, _("trùng dòng %(line)s, bỏ qua") % {"line": earlier}))
        else:
            first_line[parsed.identifier.key] = line
        checked.append(ImportRow(line, parsed.identifier, parsed.listed_status, parsed.tactic))
    known = _known_keys(list(first_line))
    for row in checked:
        if first_line[row.identifier.key] == row.line:
            outcome = _("đã có, cập nhật") if row.identifier.key in known else _("mới")
            results.append(RowResult(row.line, row.identifier.display, outcome))
    results.sort(key=lambda r: r.line)
    return ImportCheck(checked, results)


@dataclass(frozen=True)
class _Parsed:
    identifier: identifiers.Identifier
    listed_status: str
    tactic: Tactic | None


def _parse_row(row: dict[str, str], tactics: dict[str, Tactic]) -> tuple[str, _Parsed | None]:
    if any(len(value) > MAX_CELL for value in row.values()):
        return _("ô quá dài (tối đa %(limit)s ký tự)") % {"limit": MAX_CELL}, None
    value = row.get("value", "")
    if not value:
        return _("thiếu giá trị"), None
    kind = _KINDS.get(fold(row.get("kind", "")))
    if kind is None:
        return _("loại “%(kind)s” không hợp lệ (số điện thoại, trang web, tài khoản ngân hàng, mạng xã hội)") % {
            "kind": row.get("kind", "")[:40]
        }, None
    status = _STATUSES.get(fold(row.get("status", "")))
    if status is None:
        return _("trạng thái không hợp lệ (lừa đảo hoặc đang xác minh)"), None
    tactic = None
    if row.get("tactic"):
        tactic = tactics.get(fold(row["tactic"]))
        if tactic is None:
            return _("không có thủ đoạn “%(tactic)s” trong danh sách") % {"tactic": row["tactic"][:60]}, None
    if not kind and row.get("bank"):
        kind = Kind.BANK_ACCOUNT
    if not kind and row.get("platform"):
        kind = Kind.SOCIAL
    identifier, problem = _identify(kind, value, row)
    if identifier is None:
        return problem, None
    return "", _Parsed(identifier, status, tactic)


def _identify(kind: str, value: str, row: dict[str, str]) -> tuple[identifiers.Identifier | None, str]:
    if kind == Kind.PHONE:
        return identifiers.phone(value), _("số điện thoại không hợp lệ")
    if kind == Kind.WEBSITE:
        found = identifiers.website(value)
        return found, _("địa chỉ trang web không hợp lệ")
    if kind == Kind.BANK_ACCOUNT:
        bank = _bank(row.get("bank", ""))
        if bank is None:
            return None, _("không nhận ra ngân hàng (ghi mã BIN, mã hoặc tên ngân hàng)")
        return identifiers.bank_account(bank.bin, value), _("số tài khoản không hợp lệ (6–20 chữ số)")
    if kind == Kind.SOCIAL:
        platform = fold(row.get("platform", ""))
        if platform not in identifiers.PLATFORMS_BY_CODE:
            found = identifiers.link(value)
            if found is not None and found.kind == Kind.SOCIAL:
                return found, ""
            return None, _("cần ghi nền tảng (facebook, zalo, tiktok, telegram, youtube, instagram, x)")
        return identifiers.social(platform, value), _("tên tài khoản mạng xã hội không hợp lệ")
    found = identifiers.phone(value) or identifiers.link(value)
    return found, _("không nhận ra giá trị (cần số điện thoại hoặc địa chỉ trang web; ghi rõ cột loại)")


def _bank(text: str) -> identifiers.Bank | None:
    text = text.strip()
    if not text:
        return None
    by_ident = identifiers.bank_by_ident(text)
    if by_ident is not None:
        return by_ident
    folded = fold(text)
    for bank in identifiers.banks():
        if folded in bank.aliases or folded == fold(bank.code) or folded == fold(bank.name):
            return bank
    named = identifiers.find_bank(identifiers.fold_keep_length(text))
    return named[0] if named else None


def _tactic_index() -> dict[str, Tactic]:
    index: dict[str, Tactic] = {}
    for tactic in Tactic.objects.all():
        index.setdefault(fold(tactic.code), tactic)
        index.setdefault(fold(tactic.name), tactic)
    return index


def _known_keys(keys: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        known.update(Entity.objects.filter(key__in=keys[start : start + 500]).values_list("key", flat=True))
    return known
