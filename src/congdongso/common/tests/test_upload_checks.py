"""Uploaded import files are checked by size (a setting per kind), name and first bytes before any
importer reads them; each refusal says what to do, in Vietnamese, and an accepted file is left
whole for the importer (nothing read away)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congdongso.common.uploads import check_table_upload
from congdongso.households.import_views import ImportForm as HouseholdImportForm
from congdongso.scams.forms import ImportForm as ScamListImportForm
from congdongso.web.forms import VillageFileForm


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


CSV = "ma_xa,ten\n10001,Thôn Đông\n".encode()


def refusal(name: str, data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_table_upload(SimpleUploadedFile(name, data), kind="villages", **kwargs)
    return caught.value


@pytest.mark.parametrize(("name", "data", "suffix"), [
    ("thon.csv", CSV, ".csv"), ("THON.CSV", "\ufeff".encode() + CSV, ".csv"), ("thon.xlsx", xlsx_bytes(), ".xlsx"),
])
def test_a_good_file_passes_and_stays_whole(name, data, suffix):
    upload = SimpleUploadedFile(name, data)
    upload.read(10)  # wherever the form left it
    assert check_table_upload(upload, kind="villages") == suffix
    assert upload.read() == data


@pytest.mark.parametrize(
    ("name", "data", "code", "phrase"),
    [
        ("thon.pdf", b"%PDF-1.7", "suffix", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("thon.xlsx.exe", b"MZ", "suffix", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("thon.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls", "Excel đời cũ (.xls)"),
        ("thon.xlsx", b"ma_xa,ten\n1,a\n", "not_xlsx", "Không đọc được tệp Excel (.xlsx)."),
        ("thon.xlsx", xlsx_bytes()[:40], "broken_xlsx", "tải lên chưa hết"),
        ("thon.csv", xlsx_bytes(), "xlsx_as_csv", "là bảng tính Excel, không phải CSV"),
        ("thon.csv", b"%PDF-1.4\n...", "binary", "không phải văn bản CSV"),
        ("thon.csv", "ma_xa,ten\n".encode("utf-16"), "encoding", "mã hóa UTF-8"),
        ("thon.csv", "ma_xa,tên\n1,Thôn Đông\n".encode("cp1258"), "encoding", "CSV UTF-8"),
    ],
    ids=["pdf", "double-extension", "xls-renamed", "csv-renamed-xlsx", "truncated-xlsx", "xlsx-renamed-csv",
         "pdf-renamed-csv", "utf16", "cp1258"],
)
def test_a_file_whose_content_does_not_match_is_refused_with_what_to_do(name, data, code, phrase):
    error = refusal(name, data)
    assert error.code == code
    assert phrase in error.messages[0]


def test_only_csv_where_only_csv_is_read():
    error = refusal("ds.xlsx", xlsx_bytes(), suffixes=(".csv",))
    assert error.messages == ["Chỉ nhận tệp .csv."]


def test_a_character_cut_at_the_end_of_the_sample_is_not_an_encoding_error():
    data = b"ten\n" + "Đ".encode() * 40_000  # 80 KB: the 64 KB sample ends inside a two-byte letter
    assert check_table_upload(SimpleUploadedFile("thon.csv", data), kind="villages") == ".csv"


def test_the_size_cap_is_the_setting_of_each_kind(settings):
    settings.UPLOAD_MAX_BYTES = {"villages": 1024 * 1024, "households": 2 * 1024 * 1024, "scam_list": 1536 * 1024}
    big = b"ten\n" + b"a" * (2 * 1024 * 1024)
    village = VillageFileForm({}, {"file": SimpleUploadedFile("thon.csv", big)})
    household = HouseholdImportForm({}, {"file": SimpleUploadedFile("ho.csv", big + b"b")})
    scam = ScamListImportForm({"source_name": "Công an tỉnh"}, {"file": SimpleUploadedFile("ds.csv", big)})
    assert village.errors["file"] == ["Tệp quá lớn (tối đa 1 MB)."]
    assert household.errors["file"] == ["Tệp quá lớn (tối đa 2 MB)."]
    assert scam.errors["file"] == ["Tệp quá lớn (tối đa 1.5 MB)."]
    # Under the cap, the same content passes the check.
    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "villages": 3 * 1024 * 1024}
    assert "file" not in VillageFileForm({}, {"file": SimpleUploadedFile("thon.csv", big)}).errors


def test_every_upload_form_checks_content_not_only_the_name():
    renamed_pdf = b"%PDF-1.7 not a table"
    forms = [
        VillageFileForm({}, {"file": SimpleUploadedFile("thon.csv", renamed_pdf)}),
        HouseholdImportForm({}, {"file": SimpleUploadedFile("ho.csv", renamed_pdf)}),
        HouseholdImportForm({}, {"file": SimpleUploadedFile("ho.csv", CSV),
                                 "residents_file": SimpleUploadedFile("nk.csv", renamed_pdf)}),
        ScamListImportForm({"source_name": "Công an tỉnh"}, {"file": SimpleUploadedFile("ds.csv", renamed_pdf)}),
    ]
    for form in forms:
        assert not form.is_valid()
        errors = [message for messages in form.errors.values() for message in messages]
        assert any("không phải văn bản CSV" in message for message in errors), errors
