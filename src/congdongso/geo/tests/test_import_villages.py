"""Importing villages from CSV/XLSX: every bad row reported with its line, all rows or none."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from congdongso.audit.models import AuditEvent
from congdongso.geo.models import Kind, Level, Unit
from congdongso.geo.services import unit_create, villages_create_many
from congdongso.geo.village_import import FileProblem, check_village_rows, read_rows

HEADER = ["ma_xa", "ten", "loai", "ma"]


def write_csv(path: Path, rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value not in (None, ""):
                sheet.cell(row=index, column=column, value=value)
    workbook.save(path)
    return path


def run_command(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_villages", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing_command(path: Path) -> tuple[str, list[str]]:
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_villages", str(path), stdout=io.StringIO(), stderr=err)
    return str(raised.value), err.getvalue().splitlines()


def check_file(path: Path, **kwargs):
    with path.open("rb") as stream:
        return check_village_rows(read_rows(stream, path.name), **kwargs)


def village_snapshot() -> set[tuple]:
    return set(Unit.objects.filter(level=Level.VILLAGE).values_list("pk", "code", "name", "parent_id", "path"))


@pytest.fixture
def communes(make):
    province = make.province()
    a = make.commune(province, name="Xã An Bình")
    b = make.commune(province, name="Xã Bình Minh")
    old = make.village(a, name="Thôn Cũ")
    return {"a": a, "b": b, "old": old}


def bad_rows(communes: dict) -> list[list]:
    a, b, old = communes["a"].code, communes["b"].code, communes["old"].code
    return [
        HEADER,                                   # line 1
        [a, "Thôn Mới", "thôn", ""],              # 2: fine on its own
        ["KHONGCO", "Thôn X", "", ""],            # 3: unknown commune
        [a, "   ", "thôn", ""],                   # 4: empty name
        [a, "thôn mới", "", ""],                  # 5: same as line 2 (case and accents aside)
        [a, "Thôn Cũ", "", ""],                   # 6: already exists
        [a, "Thôn Y", "lâu đài", ""],             # 7: bad kind
        [b, "Thôn Z", "", old],                   # 8: code already used
        ["", "", "", ""],                         # 9: blank, skipped but counted
        [b, "Ấp Một", "ấp", "BM-7"],              # 10: fine
        [b, "Ấp Hai", "ấp", "BM-7"],              # 11: code repeats line 10
        [b, "Ấp Ba", "ấp", "mã-có-dấu"],          # 12: code not plain ASCII
        ["", "Thôn Không Xã", "", ""],            # 13: no commune code
    ]


EXPECTED_BAD_LINES = {
    3: "không có xã/phường đang hoạt động mang mã “KHONGCO”",
    4: "tên thôn/tổ dân phố để trống",
    5: "trùng với dòng 2",
    6: "“Thôn Cũ” đã có trong xã/phường này",
    7: "loại “lâu đài” không hợp lệ",
    8: "đã được dùng",
    11: "trùng với dòng 10",
    12: "mã thôn “mã-có-dấu” không hợp lệ",
    13: "thiếu mã xã/phường",
}


def assert_one_message_per_bad_row(messages: list[str]) -> None:
    assert len(messages) == len(EXPECTED_BAD_LINES), messages
    for message, (line, fragment) in zip(messages, sorted(EXPECTED_BAD_LINES.items()), strict=True):
        assert message.startswith(f"Dòng {line}: "), message
        assert fragment in message, message


@pytest.mark.django_db
@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_file_with_bad_rows_is_rejected_whole(tmp_path, communes, writer):
    path = writer(tmp_path / f"thon.{'csv' if writer is write_csv else 'xlsx'}", bad_rows(communes))
    before = village_snapshot()

    check = check_file(path)
    assert not check.ok
    assert_one_message_per_bad_row([str(error) for error in check.errors])
    assert [error.line for error in check.errors] == sorted(EXPECTED_BAD_LINES)

    summary, stderr_lines = run_failing_command(path)
    assert summary == f"Không nhập dòng nào: {len(EXPECTED_BAD_LINES)} dòng có lỗi."
    assert_one_message_per_bad_row(stderr_lines)
    assert village_snapshot() == before
    assert not AuditEvent.objects.filter(action="village.import").exists()


def good_rows(communes: dict) -> list[list]:
    a, b = communes["a"].code, communes["b"].code
    return [
        ["Mã xã", "Tên thôn/tổ dân phố", "Loại", "Mã"],
        [a, "Thôn Đông", "Thôn", ""],
        [a, "  Tổ   dân phố 3 ", "tổ dân phố", ""],
        [],
        [b, "Ấp Bắc", "ấp", ""],
        [b, "Bản Mường", "BẢN", "BM-01"],
        [b, "Khóm 2", "khom", ""],
        [a, "Buôn Đôn", "khác", ""],
    ]


def assert_good_rows_imported(communes: dict, created: list[Unit]) -> None:
    a, b = communes["a"], communes["b"]
    by_name = {v.name: v for v in created}
    assert set(by_name) == {"Thôn Đông", "Tổ dân phố 3", "Ấp Bắc", "Bản Mường", "Khóm 2", "Buôn Đôn"}
    expected = {
        # A already holds "Thôn Cũ" (<a>-001), so new codes continue after it.
        "Thôn Đông": (a, Kind.THON, f"{a.code}-002"),
        "Tổ dân phố 3": (a, Kind.TO_DAN_PHO, f"{a.code}-003"),
        "Buôn Đôn": (a, Kind.OTHER_VILLAGE, f"{a.code}-004"),
        "Ấp Bắc": (b, Kind.AP, f"{b.code}-001"),
        "Bản Mường": (b, Kind.BAN, "BM-01"),
        "Khóm 2": (b, Kind.KHOM, f"{b.code}-002"),
    }
    assert communes["old"].code == f"{a.code}-001"
    for name, (commune, kind, code) in expected.items():
        village = Unit.objects.get(pk=by_name[name].pk)
        assert (village.parent_id, village.kind, village.code, village.level) == (commune.pk, kind, code, Level.VILLAGE)
        assert village.path == f"{commune.path}{village.pk}/"
        assert village.depth == commune.depth + 1 == 3
        assert village.is_current


@pytest.mark.django_db
@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_good_file_imports_every_row_through_the_command(tmp_path, communes, writer):
    path = writer(tmp_path / f"thon.{'csv' if writer is write_csv else 'xlsx'}", good_rows(communes))
    before = village_snapshot()

    out, err = run_command(path)

    assert out.strip() == "Đã nhập 6 thôn/tổ dân phố." and err == ""
    created = list(Unit.objects.filter(level=Level.VILLAGE).exclude(pk__in=[row[0] for row in before]))
    assert_good_rows_imported(communes, created)
    event = AuditEvent.objects.get(action="village.import")
    assert event.details["count"] == 6
    assert sorted(event.details["communes"]) == sorted([communes["a"].pk, communes["b"].pk])


@pytest.mark.django_db
@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_good_file_imports_every_row_through_the_services(tmp_path, communes, writer):
    path = writer(tmp_path / f"thon.{'csv' if writer is write_csv else 'xlsx'}", good_rows(communes))
    check = check_file(path)
    assert check.ok and check.errors == []
    assert len(check.specs) == 6

    created = villages_create_many(specs=check.specs, actor_id=None)

    assert_good_rows_imported(communes, created)
    # Importing the same file again: every row now exists.
    again = check_file(path)
    assert [error.line for error in again.errors] == [2, 3, 5, 6, 7, 8]


@pytest.mark.django_db
def test_semicolon_and_tab_delimited_csv_with_bom_work(tmp_path, communes):
    a = communes["a"].code
    rows = [["ma_xa", "ten", "loai"], [a, "Thôn Nam", "thôn"], [a, "Thôn Bắc, Trên", "thôn"]]
    semicolon = write_csv(tmp_path / "a.csv", rows, delimiter=";", encoding="utf-8-sig")
    tab = write_csv(tmp_path / "b.csv", [rows[0], [a, "Thôn Giữa", ""]], delimiter="\t")

    run_command(semicolon)
    run_command(tab)

    names = set(Unit.objects.filter(parent=communes["a"]).values_list("name", flat=True))
    assert names == {"Thôn Cũ", "Thôn Nam", "Thôn Bắc, Trên", "Thôn Giữa"}


@pytest.mark.django_db
def test_numeric_commune_codes_are_padded_only_when_they_are_digits(tmp_path, make):
    province = make.province()
    commune = unit_create(
        level=Level.COMMUNE, kind=Kind.WARD, code="00004", name="Phường Ba Đình", parent=province, actor_id=None
    )
    csv_path = write_csv(
        tmp_path / "a.csv",
        [["ma_xa", "ten"], ["4", "Tổ 1"], ["00004", "Tổ 2"], ["4a", "Tổ 3"], ["０４", "Tổ 4"]],
    )
    check = check_file(csv_path)
    assert [e.line for e in check.errors] == [4, 5]
    assert "“4a”" in check.errors[0].message and "“０４”" in check.errors[1].message
    assert [spec.commune.pk for spec in check.specs] == [commune.pk, commune.pk]

    # Excel keeps a typed 4 as a number.
    xlsx_path = write_xlsx(tmp_path / "b.xlsx", [["ma_xa", "ten"], [4, "Tổ 5"], [4.0, "Tổ 6"]])
    run_command(xlsx_path)
    assert set(Unit.objects.filter(parent=commune).values_list("name", "code")) == {
        ("Tổ 5", "00004-001"), ("Tổ 6", "00004-002"),
    }


@pytest.mark.django_db
def test_codes_of_factory_communes_are_matched_as_given(tmp_path, communes):
    code = communes["a"].code  # like "C12": not digits, so never padded
    assert not code.isdigit()
    check = check_file(write_csv(tmp_path / "a.csv", [["ma_xa", "ten"], [code, "Thôn 9"], [code.lower(), "Thôn 10"]]))
    assert [e.line for e in check.errors] == [3]
    assert [spec.commune for spec in check.specs] == [communes["a"]]


@pytest.mark.django_db
def test_rows_outside_the_importers_scope_are_rejected(tmp_path, communes):
    path = write_csv(
        tmp_path / "a.csv", [["ma_xa", "ten"], [communes["a"].code, "Thôn 7"], [communes["b"].code, "Thôn 8"]]
    )
    check = check_file(path, within=[communes["a"]])
    assert [str(e) for e in check.errors] == [
        f"Dòng 3: xã/phường mã “{communes['b'].code}” không thuộc phạm vi của bạn"
    ]


@pytest.mark.django_db
def test_a_retired_commune_takes_no_villages(tmp_path, communes, make):
    import datetime as dt

    from congdongso.geo.services import units_merge

    units_merge(sources=[communes["b"]], target=communes["a"], effective_date=dt.date(2026, 1, 1), actor_id=None)
    check = check_file(write_csv(tmp_path / "a.csv", [["ma_xa", "ten"], [communes["b"].code, "Thôn 9"]]))
    assert [e.line for e in check.errors] == [2]
    assert "không có xã/phường đang hoạt động" in check.errors[0].message


@pytest.mark.django_db
def test_xlsx_line_numbers_count_blank_rows(tmp_path, communes):
    a = communes["a"].code
    path = write_xlsx(tmp_path / "a.xlsx", [["ma_xa", "ten"], [a, "Thôn 1"], [], [], ["ZZZ", "Thôn 2"]])
    assert [e.line for e in check_file(path).errors] == [5]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("thon.csv", "ma_xa,ten\nC1,Thôn Đông\n".encode("cp1258"), "Tệp CSV phải được lưu với mã hóa UTF-8."),
        ("thon.csv", "ma_xa,ten\nC1,Thôn Đông\n".encode("utf-16"), "Tệp CSV phải được lưu với mã hóa UTF-8."),
        ("thon.csv", "ma_xa,loai\nC1,thôn\n".encode(), "Thiếu cột bắt buộc: “ten”"),
        ("thon.csv", "xa,ten_goi\nC1,Thôn\n".encode(), "Thiếu cột bắt buộc: “ma_xa”, “ten”"),
        ("thon.txt", "ma_xa,ten\nC1,Thôn Đông\n".encode(), "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("thon.xls", b"\xd0\xcf\x11\xe0", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("thon", b"ma_xa,ten\n", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("thon.xlsx", "ma_xa,ten\nC1,Thôn\n".encode(), "Không đọc được tệp Excel (.xlsx)."),
        ("thon.csv", b"", "Tệp trống."),
        ("thon.csv", b"\r\n\r\n", "Tệp trống."),
    ],
)
def test_an_unreadable_file_gets_one_clear_message_and_imports_nothing(tmp_path, communes, filename, content, message):
    path = tmp_path / filename
    path.write_bytes(content)
    before = village_snapshot()

    with path.open("rb") as stream, pytest.raises(FileProblem) as raised:
        read_rows(stream, path.name)  # raised at once, before any row is read
    assert message in str(raised.value)

    summary, stderr_lines = run_failing_command(path)
    assert message in summary and stderr_lines == []
    assert village_snapshot() == before


@pytest.mark.django_db
def test_header_only_and_missing_files_are_refused(tmp_path, communes):
    header_only = write_csv(tmp_path / "a.csv", [["ma_xa", "ten"], [], []])
    summary, stderr_lines = run_failing_command(header_only)
    assert stderr_lines == ["Dòng 1: tệp không có dòng dữ liệu nào"]
    assert summary == "Không nhập dòng nào: 1 dòng có lỗi."

    summary, _ = run_failing_command(tmp_path / "khong-co.csv")
    assert summary.startswith("Không tìm thấy tệp")


@pytest.mark.django_db
def test_header_may_follow_blank_lines_and_use_english_names(tmp_path, communes):
    path = write_csv(
        tmp_path / "a.csv",
        [[], ["Commune_Code", "Village_Name", "Kind", "Code"], [communes["a"].code, "Hamlet", "ap", ""]],
    )
    check = check_file(path)
    assert check.ok and [(s.name, s.kind) for s in check.specs] == [("Hamlet", Kind.AP)]


@pytest.mark.django_db
def test_a_csv_line_the_parser_refuses_is_a_file_problem(tmp_path, communes):
    huge = "x" * (csv.field_size_limit() + 1)
    path = tmp_path / "a.csv"
    path.write_text(f"ma_xa,ten\n{communes['a'].code},Thôn 1\n{communes['a'].code},{huge}\n", encoding="utf-8")
    before = village_snapshot()

    summary, stderr_lines = run_failing_command(path)

    assert summary == "Tệp CSV sai định dạng ở dòng 3." and stderr_lines == []
    assert village_snapshot() == before
