"""A good household list (CSV with a residents CSV, or one XLSX workbook) imports every row: consented
households with their details, consent records and residents; the others as counts only."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.households.importing import check_tables, households_import, open_tables, template_xlsx
from congdongso.households.models import ConsentMethod, ConsentRecord, Device, Household, Resident, Sex
from congdongso.testing.household_lists import HOUSEHOLD_HEADER, RESIDENT_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = [*HOUSEHOLD_HEADER, "nguoi_dong_y", "ngay_dong_y", "muc_dich"]


def good_rows(world) -> tuple[list[list], list[list]]:
    a, a2 = world["village_a"].code, world["village_a2"].code
    households = [
        ["T1-001", a, "Số 5, ngõ 2", "Trần  Thị Lan", "0912.345.678", "", "x", "", "có", "", "", "", "Có", "Ký giấy",
         "", "05/01/2026", "hỗ trợ, liên hệ"],
        ["T1-002", a, "", "", "", "4", "", "x", "", "x", "", "", "", "", "", "", ""],
        ["T2-001", a2, "Tổ 3", "Hoàng Văn Nam", "", "2", "", "", "", "", "x", "x", "có", "lời nói", "Hoàng Thị Mai",
         "", ""],
    ]
    residents = [
        ["T1-001", "Trần Thị Lan", "1958", "nữ", "091 234 5679", "thông minh"],
        ["T1-001", "Lê Văn Hùng", "1985", "nam", "", "phổ thông"],
        ["T1-002", "", "", "nam", "", "phổ thông"],
        ["T2-001", "Hoàng Văn Nam", "1970", "", "", ""],
    ]
    return households, residents


def assert_imported(world) -> None:
    lan = Household.objects.get(list_ref="T1-001")
    assert (lan.village, lan.head_name, lan.search_name, lan.address_line, lan.phone) == (
        world["village_a"], "Trần Thị Lan", "tran thi lan", "Số 5, ngõ 2", "+84912345678",
    )
    assert lan.has_consent and lan.tags == {"business", "elderly"} and lan.resident_count == 2
    consent = ConsentRecord.objects.get(household=lan)
    assert (consent.given_by, consent.method, consent.purposes, consent.withdrawn_at) == (
        "Trần Thị Lan", ConsentMethod.SIGNED, ["contact", "digital_support"], None,
    )
    assert timezone.localtime(consent.given_at).date() == dt.date(2026, 1, 5)
    people = {r.display_name: r for r in lan.residents.all()}
    assert people["Trần Thị Lan"].phone == "+84912345679" and people["Trần Thị Lan"].birth_year == 1958
    assert (people["Trần Thị Lan"].sex, people["Trần Thị Lan"].device) == (Sex.FEMALE, Device.SMARTPHONE)
    assert people["Lê Văn Hùng"].device == Device.FEATURE_PHONE and people["Lê Văn Hùng"].search_name == "le van hung"

    counts_only = Household.objects.get(list_ref="T1-002")
    assert (counts_only.head_name, counts_only.address_line, counts_only.phone, counts_only.has_consent) == ("", "", "", False)
    assert counts_only.resident_count == 4 and counts_only.tags == {"school_children", "poor"}
    assert not counts_only.consents.exists()
    [anonymous] = counts_only.residents.all()
    assert (anonymous.display_name, anonymous.birth_year, anonymous.phone, anonymous.device) == ("", None, "", "feature_phone")

    nam = Household.objects.get(list_ref="T2-001")
    assert nam.village == world["village_a2"] and nam.consents.get().given_by == "Hoàng Thị Mai"
    assert nam.consents.get().method == ConsentMethod.SPOKEN and nam.consents.get().purposes == ["digital_support"]
    assert (nam.has_nucleus, nam.missing_skills) == (False, 5)
    assert Household.objects.count() == 3 and Resident.objects.count() == 4


def test_a_good_csv_pair_imports_every_row_through_the_command(tmp_path, world):
    households, residents = good_rows(world)
    (tmp_path / "ho.csv").write_bytes(csv_bytes(HEADER, households))
    # Excel in a Vietnamese locale saves CSV with semicolons and a byte-order mark.
    (tmp_path / "nk.csv").write_bytes(b"\xef\xbb\xbf" + csv_bytes(RESIDENT_HEADER, residents).replace(b",", b";"))
    out = io.StringIO()

    call_command("import_households", str(tmp_path / "ho.csv"), "--residents", str(tmp_path / "nk.csv"),
                 "--no-progress", stdout=out, stderr=io.StringIO())

    assert out.getvalue().strip() == "Đã nhập 3 hộ (2 hộ đã đồng ý cung cấp thông tin) và 4 nhân khẩu."
    assert_imported(world)
    event = AuditEvent.objects.get(action="household.import")
    assert event.details == {"households": 3, "residents": 4, "consents": 2, "villages": 2}
    assert event.object_id == "command" and event.actor_id is None


def test_a_good_workbook_with_a_residents_sheet_imports_every_row(world):
    households, residents = good_rows(world)
    data = xlsx_bytes(households, residents, household_header=HEADER)
    actor = world["officer_a"]

    check = check_tables(open_tables(data, "danh-sach.xlsx"), within=[world["a"]])
    assert check.ok, check.errors
    counts = households_import(checked=check, actor_id=actor.pk, unit_id=world["a"].pk, job_id="job-1")

    assert (counts.households, counts.residents, counts.consents) == (3, 4, 2)
    assert_imported(world)
    assert set(Household.objects.values_list("created_by", flat=True)) == {actor.pk}
    event = AuditEvent.objects.get(action="household.import")
    assert (event.actor_id, event.unit_id, event.object_id) == (actor.pk, world["a"].pk, "job-1")


def test_the_downloadable_template_imports_as_is_once_rows_are_filled_in(world):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == ["Hộ gia đình", "Nhân khẩu", "Hướng dẫn"]
    households, people = book["Hộ gia đình"], book["Nhân khẩu"]
    header = [cell.value for cell in households[1]]
    assert header[:2] == ["ma_ho", "ma_thon"] and "dong_y" in header and "hinh_thuc" in header
    households.append(["T1-001", world["village_a"].code] + [None] * (len(header) - 2))
    people.append(["T1-001", None, None, "nam", None, "phổ thông"])
    buffer = io.BytesIO()
    book.save(buffer)

    check = check_tables(open_tables(buffer.getvalue(), "mau.xlsx"), within=None)
    assert check.ok, check.errors
    households_import(checked=check, actor_id=None)
    assert Household.objects.get().resident_count == 1 and Resident.objects.get().device == Device.FEATURE_PHONE


def test_an_empty_template_has_no_rows_to_import(world):
    check = check_tables(open_tables(template_xlsx(), "mau.xlsx"), within=None)
    assert [str(e) for e in check.errors] == ["Dòng 1: tệp không có dòng dữ liệu nào"]


def test_headers_in_any_case_with_diacritics_phones_typed_as_numbers_and_date_cells(world):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã hộ", "Mã thôn", "Số nhà/Địa chỉ", "Chủ hộ", "Số điện thoại", "Đồng ý", "Hình thức", "Ngày đồng ý"])
    book.active.append(
        ["A1", world["village_a"].code, "Xóm Trên", "Vũ Thị Hạnh", 912345678, "x", "ứng dụng", dt.date(2026, 1, 5)]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    check = check_tables(open_tables(buffer.getvalue(), "a.xlsx"), within=None)
    assert check.ok, check.errors
    households_import(checked=check, actor_id=None)
    stored = Household.objects.get()
    assert (stored.address_line, stored.phone, stored.consents.get().method) == ("Xóm Trên", "+84912345678", "in_app")
    assert timezone.localtime(stored.consents.get().given_at).date() == dt.date(2026, 1, 5)  # a date cell
