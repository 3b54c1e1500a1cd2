"""Checks on an uploaded table file before anything reads it: size, name and content agree.

The extension alone says little: a renamed .xls, a PDF or a photo saved as "danh-sach.csv" would
otherwise reach the importers and fail later, in the background, with a less useful message. So the
first bytes are checked too: an .xlsx is a ZIP archive (it starts with "PK\\x03\\x04" and its central
directory reads), a .csv is UTF-8 text (what the importers decode), not a workbook, a PDF or an old
.xls. Every refusal is a ValidationError with a Vietnamese message that says what to do. The file is
left at its start, so the importer reads it whole: nothing is lost.

The size caps live in settings.UPLOAD_MAX_BYTES, one per kind of import.
"""

import codecs
import zipfile
from collections.abc import Collection
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
SAMPLE_BYTES = 64 * 1024
# What other files people mistake for a spreadsheet start with (old Excel .xls / Word .doc, PDF).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF-"


def max_bytes(kind: str) -> int:
    """The cap for one kind of import ("villages", "households", "scam_list")."""
    return int(settings.UPLOAD_MAX_BYTES[kind])


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _sample(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(SAMPLE_BYTES)
    upload.seek(0)
    return head


def _allowed_message(suffixes: Collection[str]) -> str:
    if set(suffixes) == {".csv"}:
        return _("Chỉ nhận tệp .csv.")
    return _("Chỉ nhận tệp .csv hoặc .xlsx.")


def check_table_upload(upload: UploadedFile, *, kind: str, suffixes: Collection[str] = (".csv", ".xlsx")) -> str:
    """The file's suffix (".csv" or ".xlsx") once size, name and content agree; else ValidationError."""
    limit = max_bytes(kind)
    if upload.size > limit:
        raise ValidationError(_("Tệp quá lớn (tối đa %(size)s MB).") % {"size": megabytes(limit)}, code="too_large")
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in suffixes:
        raise ValidationError(_allowed_message(suffixes), code="suffix")
    head = _sample(upload)
    if suffix == ".xlsx":
        _check_xlsx(upload, head)
    else:
        _check_csv(head)
    return suffix


def _check_xlsx(upload: UploadedFile, head: bytes) -> None:
    if head.startswith(OLE2_MAGIC):
        raise ValidationError(
            _("Tệp này là Excel đời cũ (.xls) được đổi tên. Hãy mở bằng Excel và lưu lại dạng .xlsx."), code="xls"
        )
    if not head.startswith(ZIP_MAGIC):
        raise ValidationError(
            _("Không đọc được tệp Excel (.xlsx). Tệp không phải bảng tính Excel: hãy lưu lại từ Excel dạng .xlsx."),
            code="not_xlsx",
        )
    try:
        readable = zipfile.is_zipfile(upload)
    finally:
        upload.seek(0)
    if not readable:
        raise ValidationError(
            _("Không đọc được tệp Excel (.xlsx). Tệp bị hỏng hoặc tải lên chưa hết: "
              "hãy lưu lại từ Excel rồi tải lên lần nữa."),
            code="broken_xlsx",
        )


def _check_csv(head: bytes) -> None:
    if head.startswith(ZIP_MAGIC):
        raise ValidationError(
            _("Tệp này là bảng tính Excel, không phải CSV. Hãy đổi tên thành .xlsx hoặc lưu lại dạng CSV UTF-8."),
            code="xlsx_as_csv",
        )
    if head.startswith((OLE2_MAGIC, PDF_MAGIC)):
        raise ValidationError(_("Tệp không phải văn bản CSV. Hãy lưu lại từ Excel dạng CSV UTF-8."), code="binary")
    encoding_error = ValidationError(
        _("Tệp CSV phải được lưu với mã hóa UTF-8. Trong Excel: Lưu thành → CSV UTF-8 (phân tách bằng dấu phẩy)."),
        code="encoding",
    )
    # Excel's "Unicode text" is UTF-16 (a BOM, then a NUL after every Latin letter).
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise encoding_error
    try:
        # Incremental: a character cut at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        raise encoding_error from None
    # A NUL inside UTF-8 text is left to the importers, which name its line.
