"""Importing a commune's household list (CSV or XLSX): every row is checked first, then all rows are
saved in one transaction with bulk inserts — or none at all.

The template (columns, accepted values) is documented in docs/import-ho-gia-dinh.md and offered as
an XLSX download (`template_xlsx`). In short: one row per household in the sheet "Hộ gia đình" (or
the first sheet, or a CSV file) keyed by `ma_ho`, a code unique in the file; residents optionally in
the sheet "Nhân khẩu" (or a second CSV file), one row per person, linked by `ma_ho`.

Consent first: a household whose row does not say `dong_y = có` is imported as counts only (tags,
number of residents); a name, address or phone in such a row is an error, not silently dropped, so
the commune knows what was not taken. Text that looks like a citizen ID number, a card number, a
password or an OTP is an error too. Error messages name the line and the column, never the content
of a personal cell, because they are stored with the import job and shown again later.

Speed: the check is one pass over the rows plus a few queries; the save is three `executemany`
inserts (households, consent records, residents) and one audit event. See bench/import_households.py.
"""

import datetime as dt
import gc
import io
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import or_
from typing import NamedTuple

import phonenumbers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdongso.audit.writer import record
from congdongso.common.bulk import bulk_insert
from congdongso.common.ids import new_ids
from congdongso.common.phones import DEFAULT_REGION, is_valid_national, normalise_phone
from congdongso.common.sensitive import MESSAGES as SENSITIVE_MESSAGES
from congdongso.common.sensitive import sensitive_kind
from congdongso.common.tabular import (
    FileProblem,
    RowError,
    XlsxBook,
    column_indexes,
    csv_rows,
    csv_text,
    excel_date,
    header_key,
    picked_rows,
    split_header,
    suffix_of,
)
from congdongso.common.text import clean_name, fold
from congdongso.geo.models import Level, Unit
from congdongso.households.metrics import households_imported
from congdongso.households.models import (
    CURRENT_NOTICE_VERSION,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    Device,
    Household,
    ImportJob,
    ImportStatus,
    Resident,
    Sex,
)
from congdongso.households.services import MIN_BIRTH_YEAR

logger = logging.getLogger(__name__)

MAX_ROWS = 200_000
MAX_RESIDENT_COUNT = 99
MAX_STORED_ERRORS = 2_000
PROGRESS_EVERY = 2_000

HOUSEHOLD_SHEET = "ho_gia_dinh"
RESIDENT_SHEET = "nhan_khau"
RESIDENTS_LABEL = gettext_lazy("Nhân khẩu")

# Canonical column -> header names accepted (folded: lower case, no diacritics, "_" for spaces).
HOUSEHOLD_ALIASES: dict[str, set[str]] = {
    "ref": {"ma_ho", "ho", "ma_ho_gia_dinh", "household_ref"},
    "village_code": {"ma_thon", "ma_thon_to_dan_pho", "ma_to_dan_pho", "village_code"},
    "address": {"so_nha_dia_chi", "so_nha", "dia_chi", "address"},
    "head_name": {"chu_ho", "ten_chu_ho", "ho_ten_chu_ho", "head_name"},
    "phone": {"so_dien_thoai", "dien_thoai", "sdt", "phone"},
    "resident_count": {"so_nhan_khau", "so_nguoi", "resident_count"},
    "business": {"ho_kinh_doanh", "kinh_doanh", "business"},
    "school_children": {"co_hoc_sinh", "hoc_sinh", "school_children"},
    "elderly": {"co_nguoi_cao_tuoi", "nguoi_cao_tuoi", "cao_tuoi", "elderly"},
    "poor": {"ho_ngheo", "ho_ngheo_can_ngheo", "ngheo_can_ngheo", "poor"},
    "ethnic_minority": {"dan_toc_thieu_so", "ethnic_minority"},
    "disability": {"khuyet_tat", "co_nguoi_khuyet_tat", "disability"},
    "consent": {"dong_y", "consent"},
    "consent_method": {"hinh_thuc", "hinh_thuc_dong_y", "consent_method"},
    "consent_by": {"nguoi_dong_y", "consent_by"},
    "consent_date": {"ngay_dong_y", "consent_date"},
    "consent_purposes": {"muc_dich", "muc_dich_dong_y", "consent_purposes"},
}
HOUSEHOLD_REQUIRED = {"ref": "ma_ho", "village_code": "ma_thon"}
RESIDENT_ALIASES: dict[str, set[str]] = {
    "ref": {"ma_ho", "ho", "household_ref"},
    "name": {"ten", "ho_ten", "ho_va_ten", "name"},
    "birth_year": {"nam_sinh", "birth_year"},
    "sex": {"gioi_tinh", "sex"},
    "phone": {"so_dien_thoai", "dien_thoai", "sdt", "phone"},
    "device": {"thiet_bi", "dien_thoai_dang_dung", "device"},
}
RESIDENT_REQUIRED = {"ref": "ma_ho"}
# Tag column -> Household field.
TAG_COLUMNS = {
    "business": "is_business",
    "school_children": "has_school_children",
    "elderly": "has_elderly",
    "poor": "is_poor",
    "ethnic_minority": "is_ethnic_minority",
    "disability": "has_disability",
}
_TITLES = {
    "business": "ho_kinh_doanh", "school_children": "co_hoc_sinh", "elderly": "co_nguoi_cao_tuoi",
    "poor": "ho_ngheo", "ethnic_minority": "dan_toc_thieu_so", "disability": "khuyet_tat",
}
# A column whose header says it holds what must never be stored: the whole file is refused.
_FORBIDDEN_HEADER = re.compile(
    r"(?:^|_)(?:cccd|cmnd|can_cuoc|cmt|dinh_danh|mat_khau|password|otp|ma_pin|so_the|ma_xac_thuc)(?:_|$)"
)

_YES = {"x", "co", "c", "1", "yes", "y", "true", "dung", "v", "✓", "✔"}
_NO = {"", "khong", "k", "ko", "0", "no", "n", "false", "-"}
_METHODS = {
    ConsentMethod.SPOKEN: {"loi", "loi noi", "bang loi", "bang loi noi", "noi", "mieng", "bang mieng", "spoken"},
    ConsentMethod.SIGNED: {"ky", "ky giay", "ky ten", "giay", "van ban", "bang van ban", "phieu", "ky phieu", "signed"},
    ConsentMethod.IN_APP: {"ung dung", "tren ung dung", "app", "tu xac nhan", "in app", "in_app"},
}
_METHOD_BY_WORD = {word: method for method, words in _METHODS.items() for word in words}
_PURPOSES = {
    ConsentPurpose.DIGITAL_SUPPORT: {"ho tro", "ho tro dich vu so", "ho tro su dung dich vu so", "digital_support"},
    ConsentPurpose.CONTACT: {"lien he", "lien he hen lich", "contact"},
    ConsentPurpose.STATISTICS: {"thong ke", "statistics"},
}
_PURPOSE_BY_WORD = {word: purpose for purpose, words in _PURPOSES.items() for word in words}
_DEFAULT_PURPOSES = frozenset({ConsentPurpose.DIGITAL_SUPPORT})
_SEXES = {
    Sex.MALE: {"nam", "m", "male", "trai"},
    Sex.FEMALE: {"nu", "f", "female", "gai"},
    Sex.UNSPECIFIED: {"", "khong neu", "khac", "unspecified"},
}
_SEX_BY_WORD = {word: sex for sex, words in _SEXES.items() for word in words}
_DEVICES = {
    Device.SMARTPHONE: {"thong minh", "dien thoai thong minh", "dtdd thong minh", "smartphone", "smart"},
    Device.FEATURE_PHONE: {
        "pho thong", "dien thoai pho thong", "dtdd pho thong", "cuc gach", "feature phone", "feature_phone",
    },
    Device.NONE: {"", "khong", "khong co", "khong co dien thoai", "none"},
}
_DEVICE_BY_WORD = {word: device for device, words in _DEVICES.items() for word in words}
_REF = re.compile(r"[\w./ -]{1,32}")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
_EARLIEST_CONSENT = dt.date(2020, 1, 1)

# Names repeat a lot in a commune: their search keys are folded once.
_fold_name = lru_cache(maxsize=65_536)(fold)
# What `sensitive_kind` looks for cannot be there without one of these: a run of 12 digits (single
# separators allowed), or a credential word, each of which holds one of these letter pairs once
# accents and case are gone ("mật khẩu", "mk", "pw", "pass", "OTP", "mã …", "PIN", "verification").
_TWELVE_DIGITS = re.compile(r"(?:\d[ .\-]?){11}\d")
_CREDENTIAL_LETTERS = re.compile(r"ma|mk|pw|pass|otp|pin|verification")
# The combining marks of Vietnamese text once decomposed (grave, acute, circumflex, tilde, breve,
# hook above, horn, dot below): removed with str.replace, which is ten times faster than a regex
# over every combining mark in Unicode.
_VIETNAMESE_MARKS = "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"


def _without_accents(text: str) -> str:
    """Every combining mark removed, then case-folded: `fold` without đ and spaces, and faster."""
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed.isascii():
        return decomposed.lower()
    for mark in _VIETNAMESE_MARKS:
        decomposed = decomposed.replace(mark, "")
    # Anything left that is not ASCII, other than đ (a letter of its own), may be another mark.
    if not decomposed.replace("đ", "").replace("Đ", "").isascii():
        decomposed = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return decomposed.casefold()


def _sensitive_text_kind(text: str) -> str | None:
    """`sensitive_kind`, skipped when a cheap look shows it cannot find anything (most addresses)."""
    if not _TWELVE_DIGITS.search(text) and not _CREDENTIAL_LETTERS.search(_without_accents(text)):
        return None
    return sensitive_kind(text)


# The same names come back row after row: each is checked once.
_sensitive_kind = lru_cache(maxsize=65_536)(_sensitive_text_kind)
# "có", "x", "Ký giấy": a handful of spellings per column, folded once each.
_fold_word = lru_cache(maxsize=4_096)(fold)

Progress = Callable[[int, int], None]
"""(rows done, rows in all, an estimate until the end) -> None"""


def _no_progress(done: int, total: int) -> None:
    return None


# --- reading ----------------------------------------------------------------------------------------


# (line, the row's cells in the order of HOUSEHOLD_ALIASES or RESIDENT_ALIASES; "" for a column
# the file does not have): one tuple per row, unpacked straight into names by the checker.
PickedRows = Iterator[tuple[int, tuple[str, ...]]]


@dataclass
class Tables:
    """The two tables of an upload, their headers already checked."""

    households: PickedRows
    residents: PickedRows | None
    estimated_rows: int


def _keyed(numbered, aliases: dict[str, set[str]], required: dict[str, str]) -> PickedRows:
    header, rows = split_header(numbered)
    for title in header:
        key = header_key(title)
        if _FORBIDDEN_HEADER.search(key):
            raise FileProblem(
                _(
                    "Tệp có cột “%(column)s”: không được đưa số CCCD/CMND, mật khẩu, mã OTP hay số thẻ "
                    "của người dân vào hệ thống. Hãy xóa cột này rồi nhập lại."
                )
                % {"column": str(title)[:40]}
            )
    found = column_indexes(header, aliases, required=required)
    return picked_rows(rows, [found.get(column) for column in aliases])


def _csv_table(data: bytes) -> tuple[Iterator, int]:
    text = csv_text(data)
    return csv_rows(text), text.count("\n") + 1


def open_tables(
    data: bytes, filename: str, *, residents_data: bytes | None = None, residents_filename: str = ""
) -> Tables:
    """The household table (and the residents table, if any) of an upload. Raises FileProblem at
    once for a file that cannot be read, a missing required column or a forbidden column."""
    if not data:
        raise FileProblem(_("Tệp trống."))
    residents = None
    estimate = 0
    if suffix_of(filename) == ".csv":
        numbered, estimate = _csv_table(data)
        households = _keyed(numbered, HOUSEHOLD_ALIASES, HOUSEHOLD_REQUIRED)
    else:
        book = XlsxBook(io.BytesIO(data))
        by_key = {header_key(name): name for name in book.sheet_names}
        sheet = by_key.get(HOUSEHOLD_SHEET, book.sheet_names[0])
        households = _keyed(book.rows(sheet), HOUSEHOLD_ALIASES, HOUSEHOLD_REQUIRED)
        estimate = book.estimated_rows(sheet) or 0
        if RESIDENT_SHEET in by_key:
            if residents_data:
                raise FileProblem(
                    _("Tệp Excel đã có trang “Nhân khẩu”: không cần gửi thêm tệp nhân khẩu riêng.")
                )
            residents = _keyed(book.rows(by_key[RESIDENT_SHEET]), RESIDENT_ALIASES, RESIDENT_REQUIRED)
            estimate += book.estimated_rows(by_key[RESIDENT_SHEET]) or 0
    if residents_data:
        if suffix_of(residents_filename) == ".csv":
            numbered, more = _csv_table(residents_data)
        else:
            book = XlsxBook(io.BytesIO(residents_data))
            numbered, more = book.rows(book.sheet_names[0]), book.estimated_rows(book.sheet_names[0]) or 0
        residents = _keyed(numbered, RESIDENT_ALIASES, RESIDENT_REQUIRED)
        estimate += more
    return Tables(households=households, residents=residents, estimated_rows=estimate)


# --- checking ---------------------------------------------------------------------------------------


class Consent(NamedTuple):
    given_by: str
    method: str
    purposes: tuple[str, ...]
    given_on: dt.date | None


class HouseholdRow(NamedTuple):
    line: int
    ref: str
    village_id: int
    address: str
    head_name: str
    phone: str
    resident_count: int
    tags: tuple[bool, ...]  # in TAG_COLUMNS order
    consent: Consent | None


class ResidentRow(NamedTuple):
    ref: str
    name: str
    birth_year: int | None
    sex: str
    phone: str
    device: str


@dataclass
class CheckedImport:
    households: list[HouseholdRow] = field(default_factory=list)
    residents: list[ResidentRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Problems:
    """Problems per line, in the order found; one RowError per bad line at the end."""

    def __init__(self):
        self.by_line: dict[tuple[str, int], list[str]] = {}

    def add(self, sheet: str, line: int, message: str) -> None:
        self.by_line.setdefault((sheet, line), []).append(message)

    def errors(self) -> list[RowError]:
        # The household table first, then the residents, each by line.
        ordered = sorted(self.by_line.items(), key=lambda item: (item[0][0] != "", item[0][1]))
        return [RowError(line, "; ".join(messages), sheet) for (sheet, line), messages in ordered]


def _column(name: str) -> str:
    return f"“{name}”"


def _yes_no(value: str) -> bool | None:
    word = _fold_word(value)
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


_PHONE_SEPARATORS = str.maketrans("", "", " .-")
_NATIONAL_FORM = re.compile(r"0[1-9][0-9]{8,9}")
_VN_CODE = phonenumbers.country_code_for_region(DEFAULT_REGION)


def normalise_phone_fast(raw: str) -> str | None:
    """`normalise_phone`, with a shortcut for the form lists mostly use ("0912 345 678",
    "0912.345.678"): the number is built directly instead of parsed (three times faster); the
    validity check is phonenumbers' own. Any other form goes the long way. A test checks that
    both ways agree."""
    compact = raw.translate(_PHONE_SEPARATORS)
    if len(raw) <= 40 and _NATIONAL_FORM.fullmatch(compact):
        national = compact[1:]
        return f"+{_VN_CODE}{national}" if is_valid_national(national) else None
    return normalise_phone(raw)


_SERIAL_DATE = re.compile(r"[0-9]{1,6}(?:\.[0-9]+)?")


def _date(value: str) -> dt.date | None:
    """dd/mm/yyyy (or - or .), yyyy-mm-dd, or an Excel date cell (a serial number, maybe with a time)."""
    if _SERIAL_DATE.fullmatch(value):
        return excel_date(value)
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _sensitive_column(texts: dict[str, str]) -> tuple[str, str] | None:
    """(column, message) for the first column holding something never to be stored."""
    for column, text in texts.items():
        if text:
            kind = _sensitive_kind(text)
            if kind is not None:
                return column, str(SENSITIVE_MESSAGES[kind])
    return None


def _village_lookup(within: list[Unit] | None) -> dict[str, tuple[int, str]]:
    """Village code -> (id, path) for the current villages the import may fill."""
    villages = Unit.objects.current().filter(level=Level.VILLAGE)
    if within is not None:
        if not within:
            return {}
        villages = villages.filter(reduce(or_, (Q(path__prefix=unit.path) for unit in within)))
    return {code: (pk, path) for pk, code, path in villages.values_list("pk", "code", "path")}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a list is checked or saved.

    A list of 100,000 households makes a few hundred thousand tuples that live until the save;
    each of the collector's full passes walks all of them again, for nothing (rows hold strings,
    numbers and tuples, never a cycle): about a tenth of an import's time. The previous state comes
    back at the end, also when the import fails.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_tables(tables: Tables, *, within: list[Unit] | None, progress: Progress = _no_progress) -> CheckedImport:
    """Check every row of both tables. `within` limits villages to those units' subtrees (None:
    anywhere). Nothing is written."""
    with _collector_paused():
        checker = _Checker(within, tables.estimated_rows, progress)
        checker.households(tables.households)
        if tables.residents is not None:
            checker.residents(tables.residents)
        return checker.result()


def _tag_values(texts: tuple[str, ...]) -> tuple[tuple[bool, ...], tuple[str, ...]]:
    """The tag cells of a row (TAG_COLUMNS order) -> (tags, the columns whose text is not a yes/no word)."""
    values = [_yes_no(text) for text in texts]
    return (
        tuple(bool(value) for value in values),
        tuple(column for column, value in zip(TAG_COLUMNS, values, strict=True) if value is None),
    )


# A list has a handful of tag patterns ("x" here and there): each is read once.
_tags = lru_cache(maxsize=4_096)(_tag_values)
# Where the tag cells sit in a household row (HOUSEHOLD_ALIASES order).
_TAGS = slice(list(HOUSEHOLD_ALIASES).index("business"), list(HOUSEHOLD_ALIASES).index("business") + len(TAG_COLUMNS))
assert list(HOUSEHOLD_ALIASES)[_TAGS] == list(TAG_COLUMNS)


class _Checker:
    def __init__(self, within: list[Unit] | None, estimate: int, progress: Progress):
        self.within = within
        self.villages = _village_lookup(within)
        self.problems = _Problems()
        self.checked = CheckedImport()
        self.estimate = max(estimate, 1)
        self.progress = progress
        self.current_year = timezone.localdate().year
        self.today = timezone.localdate()
        self.refs: dict[str, int] = {}  # ref -> line
        self.consented: set[str] = set()
        self.listed: dict[str, int] = {}  # ref -> residents listed
        self.counts_given: dict[str, tuple[int, int]] = {}  # ref -> (line, count given)
        self.unknown_codes: dict[str, list[int]] = {}  # village code -> lines
        self.by_name: dict[tuple[int, str, str], int] = {}  # (village, name, address) -> line
        self.too_many = False

    def _rows(self, rows: PickedRows, sheet: str) -> PickedRows:
        """The rows, counted (progress every PROGRESS_EVERY rows); stops with an error on the first
        row past MAX_ROWS."""
        checked, progress, estimate = self.checked, self.progress, self.estimate
        for line, row in rows:
            checked.rows += 1
            if checked.rows % PROGRESS_EVERY == 0:
                progress(checked.rows, max(estimate, checked.rows))
            if checked.rows > MAX_ROWS:
                self.too_many = True
                self.problems.add(
                    sheet, line, _("tệp quá lớn: tối đa %(max)s dòng mỗi lần nhập") % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                )
                return
            yield line, row

    def households(self, rows: PickedRows) -> None:
        """Check each household row. The common case costs little: a counts-only row (no consent)
        touches no name, phone or consent code, and the tag cells are looked up as one pattern."""
        add = self.problems.add
        villages, refs, by_name, counts_given = self.villages, self.refs, self.by_name, self.counts_given
        keep = self.checked.households.append
        for line, row in self._rows(rows, ""):
            (ref, code, address_text, head_text, phone_raw, count_text, *_tag_cells, consent_text, method_text,
             by_text, date_text, purposes_text) = row

            if not ref:
                add("", line, _("thiếu mã hộ (cột “ma_ho”)"))
            elif not _REF.fullmatch(ref) or "\x00" in ref:
                add("", line, _("mã hộ chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch chéo (tối đa 32 ký tự)"))
            elif len(ref) >= 9 and sum(ch.isdigit() for ch in ref) >= 9:
                add("", line, _("mã hộ trông như số CCCD/CMND hoặc số điện thoại: hãy dùng mã riêng của danh sách (ví dụ T1-015)"))
            elif ref in refs:
                add("", line, _("mã hộ “%(ref)s” trùng với dòng %(line)s") % {"ref": ref, "line": refs[ref]})
            else:
                refs[ref] = line

            village = villages.get(code)
            if village is None and code:
                village = villages.get(code.upper())
            if not code:
                add("", line, _("thiếu mã thôn (cột “ma_thon”)"))
            elif village is None:
                self.unknown_codes.setdefault(code[:32], []).append(line)

            tags, wrong_tags = _tags(row[_TAGS])
            for column in wrong_tags:
                add("", line, _("cột %(column)s chỉ nhận “có”/“x” hoặc để trống") % {"column": _column(_TITLES[column])})

            consent_value = _yes_no(consent_text)
            if consent_value is None:
                add("", line, _("cột “dong_y” chỉ nhận “có” hoặc “không”"))

            head_name = clean_name(head_text) if head_text else ""
            address = clean_name(address_text) if address_text else ""
            consent_by = clean_name(by_text) if by_text else ""
            personal = [
                title for title, value in (("chu_ho", head_name), ("so_nha", address), ("so_dien_thoai", phone_raw),
                                           ("nguoi_dong_y", consent_by)) if value
            ] if head_name or address or phone_raw or consent_by else None
            consent = None
            if personal or consent_value:
                texts = {"chu_ho": head_name, "so_nha": address, "nguoi_dong_y": consent_by}
                if "\x00" in head_name or "\x00" in address or "\x00" in consent_by:
                    add("", line, _("có ký tự không hợp lệ (ký tự NUL)"))
                found = _sensitive_column(texts)
                if found is not None:
                    add("", line, _("cột %(column)s: %(message)s") % {"column": _column(found[0]), "message": found[1]})
            if personal and not consent_value:
                add(
                    "", line,
                    _("hộ chưa đồng ý (cột “dong_y”) nên chỉ được nhập số lượng, không được có %(columns)s")
                    % {"columns": ", ".join(_column(title) for title in personal)},
                )
            if len(head_name) > 150:
                add("", line, _("tên chủ hộ quá dài (tối đa 150 ký tự)"))
            if len(address) > 200:
                add("", line, _("địa chỉ quá dài (tối đa 200 ký tự)"))
            phone = ""
            if phone_raw:
                phone = normalise_phone_fast(phone_raw) or ""
                if not phone:
                    add("", line, _("số điện thoại của hộ không hợp lệ"))
            if consent_value:
                consent = self._consent(line, method_text, consent_by or head_name, purposes_text, date_text)
                self.consented.add(ref)

            count = 0
            if count_text:
                if count_text.isdigit() and int(count_text) <= MAX_RESIDENT_COUNT:
                    count = int(count_text)
                    if ref:
                        counts_given[ref] = (line, count)
                else:
                    add("", line, _("số nhân khẩu phải là số từ 0 đến %(max)s") % {"max": MAX_RESIDENT_COUNT})

            if village is not None:
                if head_name and address:
                    key = (village[0], _fold_name(head_name), address.casefold())
                    if key in by_name:
                        add("", line, _("trùng chủ hộ và địa chỉ với dòng %(line)s") % {"line": by_name[key]})
                    else:
                        by_name[key] = line
                # Kept even when the row is bad, so that a household already in the database is
                # named too; rows with any problem are dropped at the end (`result`).
                keep(HouseholdRow(line, ref, village[0], address, head_name, phone, count, tags, consent))

    def _consent(
        self, line: int, method_text: str, given_by: str, purposes_text: str, date_text: str
    ) -> Consent | None:
        """The consent a row records, or None (and its problems added) when it is incomplete."""
        add = self.problems.add
        bad = False
        method = _METHOD_BY_WORD.get(_fold_word(method_text))
        if method is None:
            add("", line, _("cần ghi hình thức đồng ý (cột “hinh_thuc”): lời nói, ký giấy hoặc ứng dụng"))
            bad = True
        if not given_by:
            add("", line, _("cần ghi tên người đồng ý (cột “nguoi_dong_y” hoặc “chu_ho”)"))
            bad = True
        elif len(given_by) > 150:
            add("", line, _("tên người đồng ý quá dài (tối đa 150 ký tự)"))
            bad = True
        if purposes_text:
            words = [_fold_word(part) for part in re.split(r"[,;]", purposes_text) if part.strip()]
            purposes = {_PURPOSE_BY_WORD.get(word) for word in words}
            if None in purposes:
                add("", line, _("mục đích đồng ý (cột “muc_dich”) chỉ gồm: hỗ trợ, liên hệ, thống kê"))
                bad = True
            elif ConsentPurpose.DIGITAL_SUPPORT not in purposes:
                add("", line, _("để lưu thông tin cá nhân, mục đích đồng ý phải có “hỗ trợ” (hỗ trợ sử dụng dịch vụ số)"))
                bad = True
        else:
            purposes = _DEFAULT_PURPOSES
        given_on = None
        if date_text:
            given_on = _date(date_text)
            if given_on is None:
                add("", line, _("ngày đồng ý không hợp lệ (dd/mm/yyyy)"))
                bad = True
            elif given_on > self.today:
                add("", line, _("ngày đồng ý không được ở tương lai"))
                bad = True
            elif given_on < _EARLIEST_CONSENT:
                add("", line, _("ngày đồng ý quá xa (trước năm 2020)"))
                bad = True
        if bad:
            return None
        return Consent(given_by, method, tuple(sorted(purposes)), given_on)

    def residents(self, rows: PickedRows) -> None:
        sheet = str(RESIDENTS_LABEL)
        add = self.problems.add
        refs, consented, listed = self.refs, self.consented, self.listed
        keep = self.checked.residents.append
        min_year, max_year = MIN_BIRTH_YEAR, self.current_year
        for line, (ref, name_text, year_text, sex_text, phone_raw, device_text) in self._rows(rows, sheet):
            bad = False
            known = ref in refs
            if not ref:
                add(sheet, line, _("thiếu mã hộ (cột “ma_ho”)"))
                bad = True
            elif not known:
                add(sheet, line, _("mã hộ “%(ref)s” không có trong danh sách hộ") % {"ref": ref[:32]})
                bad = True
            name = clean_name(name_text) if name_text else ""
            if known and (name or year_text or phone_raw) and ref not in consented:
                personal = [title for title, value in (("ten", name), ("nam_sinh", year_text), ("so_dien_thoai", phone_raw)) if value]
                add(
                    sheet, line,
                    _("hộ “%(ref)s” chưa đồng ý nên không được có %(columns)s của nhân khẩu")
                    % {"ref": ref, "columns": ", ".join(_column(title) for title in personal)},
                )
                bad = True
            if name:
                if "\x00" in name:
                    add(sheet, line, _("có ký tự không hợp lệ (ký tự NUL)"))
                    bad = True
                kind = _sensitive_kind(name)
                if kind is not None:
                    add(sheet, line, _("cột %(column)s: %(message)s") % {"column": _column("ten"), "message": SENSITIVE_MESSAGES[kind]})
                    bad = True
                if len(name) > 150:
                    add(sheet, line, _("tên quá dài (tối đa 150 ký tự)"))
                    bad = True
            birth_year = None
            if year_text:
                if year_text.isdigit() and min_year <= int(year_text) <= max_year:
                    birth_year = int(year_text)
                else:
                    add(sheet, line, _("năm sinh phải là năm từ %(min)s đến %(max)s") % {"min": min_year, "max": max_year})
                    bad = True
            sex = _SEX_BY_WORD.get(_fold_word(sex_text))
            if sex is None:
                add(sheet, line, _("giới tính chỉ nhận “nam”, “nữ” hoặc để trống"))
                bad = True
            device = _DEVICE_BY_WORD.get(_fold_word(device_text))
            if device is None:
                add(sheet, line, _("thiết bị chỉ nhận “thông minh”, “phổ thông”, “không” hoặc để trống"))
                bad = True
            phone = ""
            if phone_raw:
                phone = normalise_phone_fast(phone_raw) or ""
                if not phone:
                    add(sheet, line, _("số điện thoại của nhân khẩu không hợp lệ"))
                    bad = True
            if known:
                listed[ref] = listed.get(ref, 0) + 1
            if not bad:
                keep(ResidentRow(ref, name, birth_year, sex, phone, device))

    def result(self) -> CheckedImport:
        add = self.problems.add
        if self.checked.rows == 0:
            add("", 1, _("tệp không có dòng dữ liệu nào"))
        self._resolve_unknown_codes()
        for ref, listed in self.listed.items():
            line, given = self.counts_given.get(ref, (0, None))
            if given is not None and given < listed:
                add(
                    "", line,
                    _("số nhân khẩu (%(count)s) ít hơn số người có trong danh sách nhân khẩu (%(listed)s)")
                    % {"count": given, "listed": listed},
                )
        _without_existing(self.checked.households, self.problems)
        self.checked.errors = self.problems.errors()
        bad_lines = {line for sheet, line in self.problems.by_line if not sheet}
        # A household without a count takes the number of residents listed for it.
        listed = self.listed
        self.checked.households = [
            row._replace(resident_count=listed.get(row.ref, 0)) if row.ref not in self.counts_given else row
            for row in self.checked.households
            if row.line not in bad_lines
        ]
        self.progress(self.checked.rows, self.checked.rows)
        return self.checked

    def _resolve_unknown_codes(self) -> None:
        if not self.unknown_codes:
            return
        elsewhere = set(
            Unit.objects.current().filter(level=Level.VILLAGE, code__in=list(self.unknown_codes)).values_list("code", flat=True)
        )
        for code, lines in self.unknown_codes.items():
            if code in elsewhere:
                message = _("thôn mã “%(code)s” không thuộc phạm vi của bạn") % {"code": code}
            else:
                message = _("không có thôn/tổ dân phố đang hoạt động mang mã “%(code)s”") % {"code": code}
            for line in lines:
                self.problems.add("", line, message)


def _without_existing(rows: list[HouseholdRow], problems: _Problems) -> list[HouseholdRow]:
    """The rows whose household is not in the database yet (the same list code in the village, or
    the same head and address); each other row becomes a problem."""
    if not rows:
        return rows
    village_ids = sorted({row.village_id for row in rows})
    taken_refs: set[tuple[int, str]] = set()
    taken_names: set[tuple[int, str, str]] = set()
    for start in range(0, len(village_ids), 500):
        existing = Household.objects.filter(village_id__in=village_ids[start:start + 500])
        taken_refs.update(existing.exclude(list_ref="").values_list("village_id", "list_ref"))
        named = existing.filter(has_consent=True).exclude(search_name="").exclude(address_line="")
        taken_names.update(
            (village_id, search_name, clean_name(address).casefold())
            for village_id, search_name, address in named.values_list("village_id", "search_name", "address_line")
        )
    if not taken_refs and not taken_names:
        return rows
    kept = []
    for row in rows:
        if (row.village_id, row.ref) in taken_refs:
            problems.add("", row.line, _("hộ mã “%(ref)s” đã có trong thôn này") % {"ref": row.ref})
        elif row.head_name and row.address and (
            (row.village_id, _fold_name(row.head_name), row.address.casefold()) in taken_names
        ):
            problems.add("", row.line, _("hộ có cùng chủ hộ và địa chỉ đã có trong thôn này"))
        else:
            kept.append(row)
    return kept


# --- saving -----------------------------------------------------------------------------------------


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} rows rejected")
        self.errors = errors


@dataclass(frozen=True)
class ImportCounts:
    households: int
    residents: int
    consents: int


_HOUSEHOLD_FIELDS = [
    "id", "village", "list_ref", *TAG_COLUMNS.values(), "resident_count", "head_name", "search_name",
    "address_line", "phone", "has_consent", "created_by",
]
_CONSENT_FIELDS = ["household", "given_by", "method", "purposes", "notice_version", "given_at", "recorded_by"]
_RESIDENT_FIELDS = ["id", "household", "display_name", "search_name", "birth_year", "sex", "phone", "device"]


def households_import(
    *, checked: CheckedImport, actor_id: int | None, unit_id: int | None = None, job_id=None,
    on_saved: Callable[[int], None] | None = None,
) -> ImportCounts:
    """Save checked rows: households, consent records and residents in one transaction, or nothing.

    Households that appeared in the database since the check (another import, a member's entry)
    make the whole import fail with ImportRejected, as they would have at the check.
    """
    if not checked.ok:
        raise ValueError("only a check without errors can be imported")
    rows = checked.households
    now = timezone.now()
    with _collector_paused(), transaction.atomic():
        problems = _Problems()
        _without_existing(rows, problems)
        if problems.by_line:
            raise ImportRejected(problems.errors())

        ids = new_ids(len(rows))
        id_by_ref = {row.ref: pk for row, pk in zip(rows, ids, strict=True)}
        bulk_insert(
            Household, _HOUSEHOLD_FIELDS,
            (
                (pk, row.village_id, row.ref, *row.tags, row.resident_count, row.head_name,
                 _fold_name(row.head_name) if row.head_name else "", row.address, row.phone,
                 row.consent is not None, actor_id)
                for row, pk in zip(rows, ids, strict=True)
            ),
            on_batch=on_saved,
        )
        consents = [(id_by_ref[row.ref], row.consent) for row in rows if row.consent is not None]
        given_at = {}
        for _pk, consent in consents:
            if consent.given_on is not None and consent.given_on not in given_at:
                given_at[consent.given_on] = timezone.make_aware(dt.datetime.combine(consent.given_on, dt.time()))
        bulk_insert(
            ConsentRecord, _CONSENT_FIELDS,
            (
                (pk, consent.given_by, consent.method, consent.purposes, CURRENT_NOTICE_VERSION,
                 given_at.get(consent.given_on, now), actor_id)
                for pk, consent in consents
            ),
            on_batch=on_saved,
        )
        residents = checked.residents
        bulk_insert(
            Resident, _RESIDENT_FIELDS,
            (
                (pk, id_by_ref[r.ref], r.name, _fold_name(r.name) if r.name else "", r.birth_year, r.sex, r.phone, r.device)
                for r, pk in zip(residents, new_ids(len(residents)), strict=True)
            ),
            on_batch=on_saved,
        )
        business = list(TAG_COLUMNS.values()).index("is_business")
        households_imported(
            (row.village_id for row in rows), (row.consent is not None for row in rows),
            (row.tags[business] for row in rows), (row.resident_count for row in rows),
        )
        counts = ImportCounts(households=len(rows), residents=len(residents), consents=len(consents))
        record(
            actor_id=actor_id, action="household.import", object_type="households.importjob",
            object_id=job_id or "command", unit_id=unit_id,
            details={
                "households": counts.households, "residents": counts.residents, "consents": counts.consents,
                "villages": len({row.village_id for row in rows}),
            },
        )
    return counts


# --- background jobs --------------------------------------------------------------------------------


def import_job_start(
    *, unit: Unit, actor_id: int, file_name: str, data: bytes, residents_file_name: str = "",
    residents_data: bytes = b"",
) -> ImportJob:
    """Queue an import of an uploaded list for `unit` (the caller checked that the actor manages
    it). The headers are checked at once, so a wrong file is refused before anything is queued."""
    from congdongso.households.tasks import import_households_task

    open_tables(data, file_name, residents_data=residents_data or None, residents_filename=residents_file_name)
    job = ImportJob.objects.create(
        unit=unit, created_by_id=actor_id, file_name=file_name[-120:], residents_file_name=residents_file_name[-120:],
        file_data=data, residents_file_data=residents_data,
    )
    record(
        actor_id=actor_id, action="household.import.queue", object_type="households.importjob", object_id=job.pk,
        unit_id=unit.pk, details={"bytes": len(data) + len(residents_data)},
    )
    import_households_task.enqueue(job_id=str(job.pk))
    return job


def _job_progress(job_id) -> Progress:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or done >= total:
            ImportJob.objects.filter(pk=job_id).update(done_rows=done, total_rows=max(total, done))
            last[0] = now

    return progress


def _stored(errors: list[RowError]) -> list[dict]:
    return [{"line": e.line, "message": e.message, "sheet": e.sheet} for e in errors[:MAX_STORED_ERRORS]]


def import_job_run(*, job_id) -> str:
    """Run one queued import job: check, then save everything or nothing. Returns the final status.

    Runs once: a job that is not queued any more (already run, or being run) is left alone.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.CHECKING, started_at=timezone.now()
    )
    if not claimed:
        return ""
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    outcome: dict = {}
    try:
        tables = open_tables(
            bytes(job.file_data), job.file_name, residents_data=bytes(job.residents_file_data) or None,
            residents_filename=job.residents_file_name,
        )
        checked = check_tables(tables, within=[job.unit], progress=_job_progress(job.pk))
        if not checked.ok:
            outcome = {"status": ImportStatus.REJECTED, "errors": _stored(checked.errors), "error_count": len(checked.errors)}
        else:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.SAVING, total_rows=checked.rows, done_rows=checked.rows)
            counts = households_import(checked=checked, actor_id=job.created_by_id, unit_id=job.unit_id, job_id=job.pk)
            outcome = {
                "status": ImportStatus.DONE, "households_created": counts.households,
                "residents_created": counts.residents, "consents_created": counts.consents,
            }
    except FileProblem as exc:
        outcome = {"status": ImportStatus.REJECTED, "errors": [{"line": 0, "message": str(exc), "sheet": ""}], "error_count": 1}
    except ImportRejected as exc:
        outcome = {"status": ImportStatus.REJECTED, "errors": _stored(exc.errors), "error_count": len(exc.errors)}
    except Exception:
        # The transaction has rolled back: nothing of this file is in the database.
        logger.exception("household import job %s failed", job_id)
        outcome = {
            "status": ImportStatus.FAILED, "error_count": 1,
            "errors": [{"line": 0, "message": _("Lỗi hệ thống khi nhập: không dòng nào được lưu. Hãy thử lại sau."), "sheet": ""}],
        }
        raise
    finally:
        # The uploaded file names people who have not consented: it goes as soon as it is read.
        ImportJob.objects.filter(pk=job_id).update(
            file_data=b"", residents_file_data=b"", finished_at=timezone.now(),
            **(outcome or {"status": ImportStatus.FAILED}),
        )
    return outcome["status"]



# --- the template -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnDoc:
    header: str
    required: bool
    meaning: str
    example: str


def household_columns() -> list[ColumnDoc]:
    """The household table's columns, in template order, as the page and the template explain them."""
    return [
        ColumnDoc("ma_ho", True, _("Mã hộ trong danh sách của xã, không trùng trong tệp (chữ, số, - . /; không dùng số CCCD hay số điện thoại)."), "T1-015"),
        ColumnDoc("ma_thon", True, _("Mã thôn/tổ dân phố (xem trên trang của xã)."), "C1-001"),
        ColumnDoc("so_nha", False, _("Số nhà/địa chỉ. Chỉ ghi khi hộ đã đồng ý."), "Số 5, ngõ 2"),
        ColumnDoc("chu_ho", False, _("Họ tên chủ hộ. Chỉ ghi khi hộ đã đồng ý."), "Trần Thị Lan"),
        ColumnDoc("so_dien_thoai", False, _("Số điện thoại của hộ. Chỉ ghi khi hộ đã đồng ý."), "0912 345 678"),
        ColumnDoc("so_nhan_khau", False, _("Số nhân khẩu (0–99). Để trống: đếm theo trang Nhân khẩu."), "4"),
        ColumnDoc("ho_kinh_doanh", False, _("Hộ kinh doanh/tiểu thương: “có”/“x” hoặc để trống."), "x"),
        ColumnDoc("co_hoc_sinh", False, _("Có con em đi học: “có”/“x” hoặc để trống."), ""),
        ColumnDoc("co_nguoi_cao_tuoi", False, _("Có người cao tuổi: “có”/“x” hoặc để trống."), "x"),
        ColumnDoc("ho_ngheo", False, _("Hộ nghèo/cận nghèo: “có”/“x” hoặc để trống."), ""),
        ColumnDoc("dan_toc_thieu_so", False, _("Dân tộc thiểu số: “có”/“x” hoặc để trống."), ""),
        ColumnDoc("khuyet_tat", False, _("Có người khuyết tật: “có”/“x” hoặc để trống."), ""),
        ColumnDoc("dong_y", False, _("Hộ đã đồng ý cung cấp thông tin: “có” hoặc “không”/để trống (chỉ nhập số lượng)."), "có"),
        ColumnDoc("hinh_thuc", False, _("Hình thức đồng ý (bắt buộc khi đồng ý): “lời nói”, “ký giấy” hoặc “ứng dụng”."), "ký giấy"),
        ColumnDoc("nguoi_dong_y", False, _("Người đồng ý. Để trống: là chủ hộ."), ""),
        ColumnDoc("ngay_dong_y", False, _("Ngày đồng ý (dd/mm/yyyy). Để trống: ngày nhập."), "05/01/2026"),
        ColumnDoc("muc_dich", False, _("Mục đích đồng ý, cách nhau dấu phẩy: “hỗ trợ” (bắt buộc), “liên hệ”, “thống kê”. Để trống: hỗ trợ."), "hỗ trợ, liên hệ"),
    ]


def resident_columns() -> list[ColumnDoc]:
    return [
        ColumnDoc("ma_ho", True, _("Mã hộ, như ở trang Hộ gia đình."), "T1-015"),
        ColumnDoc("ten", False, _("Họ tên. Chỉ ghi khi hộ đã đồng ý."), "Trần Thị Lan"),
        ColumnDoc("nam_sinh", False, _("Năm sinh (4 chữ số). Chỉ ghi khi hộ đã đồng ý."), "1958"),
        ColumnDoc("gioi_tinh", False, _("“nam”, “nữ” hoặc để trống."), "nữ"),
        ColumnDoc("so_dien_thoai", False, _("Số điện thoại. Chỉ ghi khi hộ đã đồng ý."), "0912 345 679"),
        ColumnDoc("thiet_bi", False, _("“thông minh”, “phổ thông” hoặc “không” (để trống: không)."), "thông minh"),
    ]


def template_xlsx() -> bytes:
    """The downloadable template: "Hộ gia đình" and "Nhân khẩu" with their headers (no sample rows:
    a row left in by mistake would be imported), and "Hướng dẫn" explaining every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    households = book.active
    households.title = "Hộ gia đình"
    residents = book.create_sheet("Nhân khẩu")
    guide = book.create_sheet("Hướng dẫn")
    bold = Font(bold=True)
    for sheet, columns in ((households, household_columns()), (residents, resident_columns())):
        sheet.append([column.header for column in columns])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font = bold
            sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) + 4)
        sheet.freeze_panes = "A2"
        # Codes and phone numbers are text: Excel would drop a leading zero from a number.
        for index, column in enumerate(columns, start=1):
            if column.header in ("ma_ho", "ma_thon", "so_dien_thoai"):
                for row in range(2, 2001):
                    sheet.cell(row=row, column=index).number_format = "@"
    yes_no = DataValidation(type="list", formula1='"có,không"', allow_blank=True)
    households.add_data_validation(yes_no)
    for letter in "GHIJKLM":
        yes_no.add(f"{letter}2:{letter}5000")
    method = DataValidation(type="list", formula1='"lời nói,ký giấy,ứng dụng"', allow_blank=True)
    households.add_data_validation(method)
    method.add("N2:N5000")
    guide.append([_("Trang"), _("Cột"), _("Bắt buộc"), _("Ý nghĩa"), _("Ví dụ")])
    for cell in guide[1]:
        cell.font = bold
    for sheet_name, columns in (("Hộ gia đình", household_columns()), ("Nhân khẩu", resident_columns())):
        for column in columns:
            guide.append([sheet_name, column.header, _("có") if column.required else "", column.meaning, column.example])
    guide.append([])
    for note in (
        _("Mỗi dòng của trang “Hộ gia đình” là một hộ; mỗi dòng của trang “Nhân khẩu” là một người, nối với hộ bằng “ma_ho”."),
        _("Hộ chưa đồng ý chỉ được nhập số lượng và đặc điểm: không ghi tên, địa chỉ, số điện thoại, năm sinh."),
        _("Không bao giờ ghi số CCCD/CMND, mật khẩu, mã OTP hay số thẻ ngân hàng."),
        _("Nếu có dòng lỗi, không dòng nào được nhập: sửa các dòng được báo rồi gửi lại cả tệp."),
    ):
        guide.append(["", note])
    for letter, width in zip("ABCDE", (14, 20, 10, 90, 18), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
