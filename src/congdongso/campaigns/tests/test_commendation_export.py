"""The proposal list exports as XLSX (a sheet for members, one for teams) and CSV, with Vietnamese
headers and the same figures as the page; every export is audited with ids and counts only."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congdongso.audit.models import AuditEvent
from congdongso.campaigns.tests.conftest import assist, days_ago, household


@pytest.fixture
def exported(land, client):
    m = land["members"]
    homes = {key: household(land[key]) for key in ("a1", "a2")}
    for hour in (8, 9):
        assist(m["a1"], homes["a1"], at=days_ago(2, hour))
    for minute in range(13):  # a burst: excluded, flagged
        assist(m["a2"], homes["a2"], at=days_ago(3, 8) + dt.timedelta(minutes=minute))
    assist(m["a2"], homes["a2"], at=days_ago(3, 15))
    client.force_login(land["province_officer"])
    period = {"starts_on": days_ago(5).date().isoformat(), "ends_on": days_ago(0).date().isoformat()}
    return period


def _download(client, land, period, file_format):
    url = reverse("campaigns:commendation_export", args=[land["province"].pk])
    return client.get(url, {**period, "format": file_format})


def test_xlsx_has_a_sheet_per_list_with_vietnamese_headers_and_the_figures(client, land, exported):
    response = _download(client, land, exported, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"de-xuat-khen-thuong-{land['province'].code}-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Cá nhân", "Tổ CNSCĐ"]
    members = [list(row) for row in book["Cá nhân"].iter_rows(values_only=True)]
    assert members[0][0].startswith("Danh sách đề xuất khen thưởng — Tỉnh Thử")
    assert members[2] == ["STT", "Họ tên", "Tổ CNSCĐ", "Lượt hỗ trợ được tính (xong, một phần)",
                          "Hộ được hỗ trợ đã có hạt nhân số", "Lượt bị loại (ghi dồn dập)", "Ghi chú"]
    a1, a2 = str(land["members"]["a1"]), str(land["members"]["a2"])
    assert members[3][:6] == [1, a1, "Tổ CNSCĐ Thôn Đông", 2, 0, 0]
    assert members[4][:6] == [2, a2, "Tổ CNSCĐ Thôn Tây", 1, 0, 13]
    assert "60 phút" in members[4][6]
    teams = [list(row) for row in book["Tổ CNSCĐ"].iter_rows(values_only=True)]
    assert teams[2][1:3] == ["Tên tổ", "Thôn/xã"]
    assert [row[1:6] for row in teams[3:]] == [["Tổ CNSCĐ Thôn Đông", "Thôn Đông", 2, 0, 0],
                                                ["Tổ CNSCĐ Thôn Tây", "Thôn Tây", 1, 0, 13]]


def test_csv_holds_both_lists_and_opens_in_excel(client, land, exported):
    response = _download(client, land, exported, "csv")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Loại", "STT", "Tên", "Tổ CNSCĐ / đơn vị"]
    assert [row[0] for row in rows[1:]] == ["Cá nhân", "Cá nhân", "Tổ CNSCĐ", "Tổ CNSCĐ"]
    assert rows[2][2:7] == [str(land["members"]["a2"]), "Tổ CNSCĐ Thôn Tây", "1", "0", "13"]


def test_every_export_is_audited_with_ids_and_counts(client, land, exported):
    _download(client, land, exported, "xlsx")
    _download(client, land, exported, "csv")
    events = list(AuditEvent.objects.filter(action="commendations.export").order_by("pk"))
    assert [e.details["format"] for e in events] == ["xlsx", "csv"]
    event = events[0]
    assert (event.actor_id, event.unit_id, event.object_id) == (
        land["province_officer"].pk, land["province"].pk, str(land["province"].pk))
    assert event.details == {"format": "xlsx", "starts_on": exported["starts_on"], "ends_on": exported["ends_on"],
                             "members": 2, "teams": 2}
    assert str(land["members"]["a1"]) not in str(event.details)


def test_an_unknown_format_or_bad_period_exports_nothing(client, land, exported):
    assert _download(client, land, exported, "pdf").status_code == 404
    bad = _download(client, land, {"starts_on": "x", "ends_on": ""}, "xlsx")
    assert bad.status_code == 302
    assert not AuditEvent.objects.filter(action="commendations.export").exists()
