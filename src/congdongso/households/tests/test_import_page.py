"""The upload page: commune officers and above, for their own units; the import runs as a task (at once
in tests) and the status page reports the outcome, each bad row with its line."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.households.models import Household, ImportJob, ImportStatus
from congdongso.testing.forms import assert_refused, page_text
from congdongso.testing.household_lists import HOUSEHOLD_HEADER, RESIDENT_HEADER, csv_bytes

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def rows(*refs_and_codes) -> bytes:
    return csv_bytes(HOUSEHOLD_HEADER, [[ref, code, "", "", "", "2", *[""] * 8] for ref, code in refs_and_codes])


@pytest.fixture
def officer(client, world):
    client.force_login(world["officer_a"])
    return client


def test_officers_of_other_communes_get_404_and_members_403(client, world):
    url = reverse("households:import_new", args=[world["a"].pk])
    client.force_login(world["officer_b"])
    assert client.get(url).status_code == 404
    client.force_login(world["member"])
    assert client.get(reverse("households:import_new", args=[world["village_a"].pk])).status_code == 403
    client.force_login(world["province_officer"])
    assert client.get(url).status_code == 200


def test_the_page_offers_the_template_and_explains_every_column(officer, world):
    text = page_text(officer.get(reverse("households:import_new", args=[world["a"].pk])))
    assert reverse("households:import_template") in text
    for column in ("ma_ho", "ma_thon", "chu_ho", "dong_y", "hinh_thuc", "nam_sinh", "thiet_bi"):
        assert column in text
    response = officer.get(reverse("households:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Hộ gia đình", "Nhân khẩu", "Hướng dẫn"]


def test_a_good_file_is_imported_by_the_task_and_the_status_page_says_so(officer, world):
    village = world["village_a"].code
    residents = csv_bytes(RESIDENT_HEADER, [["H2", "", "", "nữ", "", "thông minh"]])
    response = officer.post(
        reverse("households:import_new", args=[world["a"].pk]),
        {"file": upload("ho.csv", rows(("H1", village), ("H2", village))), "residents_file": upload("nk.csv", residents)},
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("households:import_status", args=[job.pk])
    assert (job.status, job.households_created, job.residents_created, job.total_rows) == (ImportStatus.DONE, 2, 1, 3)
    assert (bytes(job.file_data), bytes(job.residents_file_data)) == (b"", b"")
    assert set(Household.objects.values_list("list_ref", "created_by")) == {("H1", world["officer_a"].pk), ("H2", world["officer_a"].pk)}
    event = AuditEvent.objects.get(action="household.import")
    assert (event.object_id, event.unit_id, event.actor_id) == (str(job.pk), world["a"].pk, world["officer_a"].pk)

    text = page_text(officer.get(response["Location"]))
    assert "Đã nhập xong" in text and 'http-equiv="refresh"' not in text


def test_bad_rows_are_listed_on_the_status_page_and_nothing_is_imported(officer, world):
    data = rows(("H1", world["village_a"].code), ("H2", world["village_b"].code), ("H1", world["village_a"].code))
    response = officer.post(reverse("households:import_new", args=[world["a"].pk]), {"file": upload("ho.csv", data)})

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REJECTED and job.error_count == 2 and bytes(job.file_data) == b""
    assert not Household.objects.exists()
    text = page_text(officer.get(response["Location"]))
    assert f"Dòng 3: thôn mã “{world['village_b'].code}” không thuộc phạm vi của bạn" in text
    assert "Dòng 4: mã hộ “H1” trùng với dòng 2" in text
    assert "Không nhập dòng nào: 2 lỗi." in text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "Cần chọn một tệp."),
        ({"file": upload("ho.exe", b"MZ")}, "Chỉ nhận tệp .csv hoặc .xlsx."),
        ({"file": upload("ho.csv", b"")}, "Tệp trống."),
        ({"file": upload("ho.csv", b"ma_thon,chu_ho\nC1,An\n")}, "Thiếu cột bắt buộc: “ma_ho”"),
        ({"file": upload("ho.csv", b"ma_ho,ma_thon,cccd\nH1,C1,1\n")}, "Tệp có cột “cccd”"),
        ({"file": upload("ho.xlsx", b"PK\x03\x04 not really")}, "Không đọc được tệp Excel (.xlsx)."),
        ({"file": upload("ho.csv", b"ma_ho,ma_thon\n" + b"H,C\n" * 5_300_000)}, "Tệp quá lớn (tối đa 20 MB)."),
        ({"file": "ma_ho,ma_thon\nH1,C1"}, "Cần chọn một tệp."),
    ],
    ids=["no-file", "exe", "empty", "missing-column", "id-column", "broken-xlsx", "over-20mb", "text-not-file"],
)
def test_a_file_that_cannot_be_read_is_refused_on_the_form_and_nothing_is_queued(officer, world, data, expected):
    assert_refused(officer, reverse("households:import_new", args=[world["a"].pk]), data, expected)
    assert not ImportJob.objects.exists()


def test_jobs_are_seen_only_within_scope(client, world):
    job = ImportJob.objects.create(unit=world["a"], created_by=world["officer_a"], file_name="ho.csv")
    status_url = reverse("households:import_status", args=[job.pk])

    client.force_login(world["officer_b"])
    assert client.get(status_url).status_code == 404
    assert "Chưa có lượt nhập nào." in page_text(client.get(reverse("households:import_list")))

    client.force_login(world["officer_a"])
    text = page_text(client.get(status_url))
    assert 'http-equiv="refresh"' in text and "Đang chờ" in text
    listing = page_text(client.get(reverse("households:import_list")))
    assert status_url in listing and reverse("households:import_new", args=[world["a"].pk]) in listing
