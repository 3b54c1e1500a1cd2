"""Household lists as a commune would upload them (CSV and XLSX), for the import tests and bench."""

import csv
import io
import random
from collections.abc import Sequence

from openpyxl import Workbook

HOUSEHOLD_HEADER = [
    "ma_ho", "ma_thon", "so_nha", "chu_ho", "so_dien_thoai", "so_nhan_khau", "ho_kinh_doanh", "co_hoc_sinh",
    "co_nguoi_cao_tuoi", "ho_ngheo", "dan_toc_thieu_so", "khuyet_tat", "dong_y", "hinh_thuc",
]
RESIDENT_HEADER = ["ma_ho", "ten", "nam_sinh", "gioi_tinh", "so_dien_thoai", "thiet_bi"]

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
_MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Kim", "Xuân"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc", "Sơn", "Tâm",
          "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Khoa", "Lộc", "Nhung", "Oanh", "Quang"]
_STREETS = ["ngõ 2", "ngõ 7", "đường Lê Lợi", "đường Trần Phú", "xóm Trên", "xóm Dưới", "ấp Mới", "tổ 3"]
_MOBILE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "086", "088", "032", "033", "035", "070", "077", "081", "083"]


def household_rows(village_codes: Sequence[str], count: int, *, consent_share: float = 0.5, seed: int = 3) -> tuple[list[list], list[list]]:
    """(household rows, resident rows) without headers: `consent_share` of the households consented and
    carry a head's name, address (a house number unique in the village) and phone, and one resident with
    details each; the others are counts only. Every row is valid."""
    rng = random.Random(seed)
    households, residents = [], []
    for n in range(count):
        ref = f"H{n:06d}"
        village = village_codes[n % len(village_codes)]
        tags = ["x" if rng.random() < share else "" for share in (0.1, 0.3, 0.3, 0.1, 0.15, 0.05)]
        size = str(rng.randint(1, 7))
        if rng.random() < consent_share:
            name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
            phone = f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
            households.append([ref, village, f"Số {n // len(village_codes) + 1} {rng.choice(_STREETS)}", name, phone, size,
                               *tags, "có", rng.choice(["ký giấy", "lời nói"])])
            residents.append([ref, name, str(rng.randint(1935, 2010)), rng.choice(["nam", "nữ"]),
                              f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10**7):07d}",
                              rng.choice(["thông minh", "phổ thông", "không"])])
        else:
            households.append([ref, village, "", "", "", size, *tags, "", ""])
    return households, residents


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(households: Sequence[Sequence], residents: Sequence[Sequence] | None = None, *,
               household_header: Sequence[str] = HOUSEHOLD_HEADER) -> bytes:
    """A workbook as Excel saves it (shared strings): "Hộ gia đình", and "Nhân khẩu" when given."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Hộ gia đình"
    sheet.append(list(household_header))
    for row in households:
        sheet.append([_cell(value) for value in row])
    if residents is not None:
        people = book.create_sheet("Nhân khẩu")
        people.append(RESIDENT_HEADER)
        for row in residents:
            people.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    # Counts and years are numbers in a real sheet; phone numbers stay text (a leading zero).
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) <= 4 else (value or None)
