"""Bulk import of known lists (CSV): dedup, a per-row report with line numbers, all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congdongso.audit.models import AuditEvent
from congdongso.scams import identifiers, services
from congdongso.scams.models import Channel, Entity, ImportBatch, ListedStatus, Source, Status
from congdongso.scams.tests.conftest import scams_state

pytestmark = pytest.mark.django_db

URL = "/scams/moderation/import/"


def _file(text: str, name: str = "ds.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def officer(client, world):
    client.force_login(world["province_officer"])
    return client


def test_a_clean_list_imports_with_dedup_and_a_row_report(officer, starter_tactics):
    services.report_submit(identifier=identifiers.phone("0912345678"), source=Source.PUBLIC, channel=Channel.CALL)
    csv = "\n".join([
        "loai,gia_tri,ngan_hang,nen_tang,thu_doan,trang_thai",
        "số điện thoại,0912 345 678,,,yeu-cau-ma-otp,lừa đảo",
        "trang web,http://WWW.Lua-Dao-Thu.vn/x,,,,",
        "tài khoản ngân hàng,0123456789,Vietcombank,,,đang xác minh",
        "mạng xã hội,nguyen.van.a,,facebook,,",
        ",example-thu.vn.,,,,",
        "web,lua-dao-thu.vn,,,,",
    ])
    response = officer.post(URL, {"source_name": "Công an tỉnh 10/2026", "file": _file(csv)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã nhập: 4 mới, 1 cập nhật, 1 dòng trùng bỏ qua." in html
    assert "trùng dòng 3, bỏ qua" in html
    phone = Entity.objects.get(key="phone:+84912345678")
    assert (phone.status, phone.listed_status, phone.report_count) == (Status.CONFIRMED, ListedStatus.CONFIRMED, 1)
    assert phone.tactic == starter_tactics["yeu-cau-ma-otp"]
    assert Entity.objects.get(key="bank:970436:0123456789").status == Status.VERIFYING
    assert Entity.objects.filter(key__in=["web:lua-dao-thu.vn", "web:example-thu.vn", "social:facebook:nguyenvana"]).count() == 3
    batch = ImportBatch.objects.get()
    assert (batch.rows, batch.created, batch.updated, batch.duplicates) == (6, 4, 1, 1)
    assert AuditEvent.objects.get(action="scam_list.import").details["created"] == 4


def test_one_bad_row_writes_nothing_and_every_error_names_its_line(officer):
    csv = "\n".join([
        "loai,gia_tri,ngan_hang",
        "sdt,0912345678,",
        "sdt,12345,",
        "",
        "tai khoan,0123456789,Ngân hàng Mặt Trăng",
        "lâu đài,abc,",
        "web,localhost,",
    ])
    before = scams_state()
    html = officer.post(URL, {"source_name": "Danh sách thử", "file": _file(csv)}).content.decode()
    assert "Tệp có 4 dòng lỗi. Chưa ghi dòng nào" in html
    for line, message in [(3, "số điện thoại không hợp lệ"), (5, "không nhận ra ngân hàng"), (6, "không hợp lệ"), (7, "trang web không hợp lệ")]:
        assert f'<td class="num">{line}</td>' in html and message in html
    assert scams_state() == before


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (None, "Cần chọn một tệp."),
        (_file("", "ds.csv"), "Tệp trống."),
        (_file("gia_tri\n1", "ds.xlsx"), "Chỉ nhận tệp .csv."),
        (SimpleUploadedFile("ds.csv", b"\xff\xfe\x00garbage", content_type="text/csv"), "mã hóa UTF-8"),
        (_file("cot_a,cot_b\n1,2"), "Thiếu cột bắt buộc"),
        (_file("gia_tri\n"), "Tệp không có dòng dữ liệu nào."),
        (_file("gia_tri\n0912\x00345678"), "ký tự NUL"),
        (_file('gia_tri\n"' + "a" * 200_000 + '"'), ("ô quá dài", "sai định dạng")),
    ],
    ids=["none", "empty", "xlsx", "not-utf8", "no-value-column", "header-only", "nul", "giant-cell"],
)
def test_unreadable_files_are_refused_in_vietnamese(officer, upload, expected):
    before = scams_state()
    data = {"source_name": "Thử"} | ({"file": upload} if upload else {})
    response = officer.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert any(e in html for e in (expected if isinstance(expected, tuple) else (expected,)))
    assert scams_state() == before


def test_only_moderators_import(client, world):
    client.force_login(world["commune_officer"])
    assert client.get(URL).status_code == 403
