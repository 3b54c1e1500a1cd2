"""A household list with bad rows imports nothing, and every bad row is named with its line and reason."""

import io

import pytest
from django.core.management import CommandError, call_command

from congdongso.audit.models import AuditEvent
from congdongso.common.tabular import FileProblem
from congdongso.households.importing import check_tables, open_tables
from congdongso.households.models import ConsentRecord, Household, Resident
from congdongso.households.tests.conftest import consented_household
from congdongso.testing.household_lists import HOUSEHOLD_HEADER, RESIDENT_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

NO_TAGS = [""] * 6


def household(ref, village, address="", head="", phone="", count="2", tags=NO_TAGS, consent="", method=""):
    return [ref, village, address, head, phone, count, *tags, consent, method]


def bad_file(world) -> tuple[list[list], list[list], dict[int, str], dict[int, str]]:
    """(household rows, resident rows, expected fragment by household line, by resident line)."""
    a = world["village_a"].code
    households = [
        household("H01", a, "Số 1 ngõ 2", "Trần Văn Một", "0912 345 678", "3", consent="có", method="ký giấy"),  # 2 fine
        household("H02", "KHONGCO"),                                                                  # 3
        household("H03", a, "Số 3", "Lê Văn Ba", "0912", consent="có", method="lời nói"),              # 4
        household("H01", a),                                                                          # 5
        household("H05", a),                                                                          # 6
        household("H06", a, head="Lê Thị Bảy"),                                                       # 7
        household("H07", a, "CCCD 001 099 012 345", "Phạm Văn Bảy", consent="có", method="ký giấy"),  # 8
        household("H08", a, "Số 8", "Mật khẩu: hoa123", consent="có", method="ký giấy"),              # 9
        [""] * len(HOUSEHOLD_HEADER),                                                                 # 10 blank
        household("H10", a, tags=["", "", "", "nhiều", "", ""]),                                      # 11
        household("H11", a, "Số 11", "Đỗ Văn Mười", consent="có"),                                    # 12
        household("001099012345", a),                                                                 # 13
        household("H13", a, count="abc"),                                                             # 14
        household("H14", a),                                                                          # 15 fine
        household("H15", a, "Số 5, ngõ 2", "nguyễn văn an", consent="có", method="ký giấy"),          # 16
    ]
    expected_households = {
        3: "không có thôn/tổ dân phố đang hoạt động mang mã “KHONGCO”",
        4: "số điện thoại của hộ không hợp lệ",
        5: "mã hộ “H01” trùng với dòng 2",
        6: "hộ mã “H05” đã có trong thôn này",
        7: "hộ chưa đồng ý (cột “dong_y”) nên chỉ được nhập số lượng, không được có “chu_ho”",
        8: "cột “so_nha”: Không được ghi số CCCD",
        9: "cột “chu_ho”: Không được ghi mật khẩu, mã OTP",
        11: "cột “ho_ngheo” chỉ nhận “có”/“x” hoặc để trống",
        12: "cần ghi hình thức đồng ý",
        13: "mã hộ trông như số CCCD/CMND",
        14: "số nhân khẩu phải là số từ 0 đến 99",
        16: "hộ có cùng chủ hộ và địa chỉ đã có trong thôn này",
    }
    residents = [
        ["H01", "Trần Văn Một", "1958", "nam", "", "thông minh"],   # 2 fine
        ["H01", "Trần Thị Hai", "1850", "nữ", "", ""],              # 3
        ["H14", "Người Chưa Đồng Ý", "", "", "", ""],                # 4
        ["H99", "", "", "", "", ""],                                # 5
        ["H01", "", "", "", "0912", ""],                            # 6
        ["H01", "", "", "", "", "iphone"],                          # 7
        ["H14", "", "", "nữ", "", "phổ thông"],                     # 8 fine: no personal details
    ]
    expected_residents = {
        3: "năm sinh phải là năm từ 1900 đến",
        4: "hộ “H14” chưa đồng ý nên không được có “ten” của nhân khẩu",
        5: "mã hộ “H99” không có trong danh sách hộ",
        6: "số điện thoại của nhân khẩu không hợp lệ",
        7: "thiết bị chỉ nhận “thông minh”, “phổ thông”, “không” hoặc để trống",
    }
    return households, residents, expected_households, expected_residents


@pytest.fixture
def existing(world):
    Household.objects.create(village=world["village_a"], list_ref="H05", resident_count=1)
    return consented_household(world["village_a"])


def snapshot() -> tuple:
    return (
        set(Household.objects.values_list("pk", flat=True)), Resident.objects.count(), ConsentRecord.objects.count(),
        AuditEvent.objects.filter(action="household.import").count(),
    )


def write_files(tmp_path, kind: str, households: list[list], residents: list[list]) -> list[str]:
    if kind == "csv":
        (tmp_path / "ho.csv").write_bytes(csv_bytes(HOUSEHOLD_HEADER, households))
        (tmp_path / "nk.csv").write_bytes(csv_bytes(RESIDENT_HEADER, residents))
        return [str(tmp_path / "ho.csv"), "--residents", str(tmp_path / "nk.csv")]
    (tmp_path / "ho.xlsx").write_bytes(xlsx_bytes(households, residents))
    return [str(tmp_path / "ho.xlsx")]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_bad_rows_import_nothing_and_each_is_named_with_its_line(tmp_path, world, existing, kind):
    households, residents, expected_households, expected_residents = bad_file(world)
    args = write_files(tmp_path, kind, households, residents)
    before = snapshot()
    err = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_households", *args, "--no-progress", stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    expected = [(f"Dòng {line}: ", fragment) for line, fragment in sorted(expected_households.items())] + [
        (f"Nhân khẩu, dòng {line}: ", fragment) for line, fragment in sorted(expected_residents.items())
    ]
    assert len(lines) == len(expected), lines
    for message, (prefix, fragment) in zip(lines, expected, strict=True):
        assert message.startswith(prefix) and fragment in message, (message, prefix, fragment)
    assert str(raised.value) == f"Không nhập dòng nào: {len(expected)} dòng có lỗi."
    assert snapshot() == before


def test_no_error_message_repeats_a_personal_detail(world, existing):
    households, residents, _, _ = bad_file(world)
    tables = open_tables(
        csv_bytes(HOUSEHOLD_HEADER, households), "ho.csv",
        residents_data=csv_bytes(RESIDENT_HEADER, residents), residents_filename="nk.csv",
    )
    text = "\n".join(str(error) for error in check_tables(tables, within=None).errors)
    for detail in ("Lê Thị Bảy", "0912", "001 099 012 345", "hoa123", "Người Chưa Đồng Ý", "Trần Thị Hai"):
        assert detail not in text


def test_villages_outside_the_importers_units_are_refused(world):
    rows = [household("H1", world["village_a"].code), household("H2", world["village_b"].code)]
    tables = open_tables(csv_bytes(HOUSEHOLD_HEADER, rows), "ho.csv")
    check = check_tables(tables, within=[world["a"]])
    assert [(e.line, e.message) for e in check.errors] == [
        (3, f"thôn mã “{world['village_b'].code}” không thuộc phạm vi của bạn"),
    ]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("ho.csv", b"", "T\u1ec7p tr\u1ed1ng."),
        ("ho.csv", b"ma_thon,chu_ho\nC1,An\n", "Thiếu cột bắt buộc: “ma_ho”"),
        ("ho.csv", "ma_ho,ma_thon,so_cccd\nH1,C1,001099012345\n".encode(), "Tệp có cột “so_cccd”"),
        ("ho.csv", "ma_ho,ma_thon,mat_khau\nH1,C1,x\n".encode(), "Tệp có cột “mat_khau”"),
        ("ho.txt", b"ma_ho,ma_thon\nH1,C1\n", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("ho.xlsx", b"ma_ho,ma_thon\nH1,C1\n", "Không đọc được tệp Excel (.xlsx)."),
        ("ho.csv", "ma_ho,ma_thon\nH1,C1\n".encode("utf-16"), "Tệp CSV phải được lưu với mã hóa UTF-8."),
    ],
)
def test_an_unreadable_file_is_refused_at_once(world, filename, content, message):
    with pytest.raises(FileProblem) as raised:
        open_tables(content, filename)
    assert message in str(raised.value)


def test_a_header_only_file_has_no_rows_to_import(world):
    check = check_tables(open_tables(csv_bytes(HOUSEHOLD_HEADER, []), "ho.csv"), within=None)
    assert [str(e) for e in check.errors] == ["Dòng 1: tệp không có dòng dữ liệu nào"]


def test_a_count_below_the_residents_listed_is_an_error(world):
    a = world["village_a"].code
    rows = [household("H1", a, "Số 1", "An", count="1", consent="có", method="lời nói")]
    people = [["H1", "An", "1980", "", "", ""], ["H1", "Bình", "1982", "", "", ""]]
    tables = open_tables(
        csv_bytes(HOUSEHOLD_HEADER, rows), "ho.csv", residents_data=csv_bytes(RESIDENT_HEADER, people),
        residents_filename="nk.csv",
    )
    assert [str(e) for e in check_tables(tables, within=None).errors] == [
        "Dòng 2: số nhân khẩu (1) ít hơn số người có trong danh sách nhân khẩu (2)"
    ]
