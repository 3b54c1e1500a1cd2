"""The CSV report: UTF-8 with a BOM (Excel reads Vietnamese right), streamed row by row, the same
figures as the XLSX, ratios as percentages with one decimal."""

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from congdongso.indicators.models import Indicator, Kind
from congdongso.indicators.tests.report_helpers import content_of, csv_table, open_xlsx, report_post, sheet_table

pytestmark = pytest.mark.django_db


def _report(client, user, unit, month, fmt):
    client.force_login(user)
    return client.post(reverse("indicators:report", args=[unit.pk]), report_post(month=month, fmt=fmt))


def test_csv_is_streamed_utf8_with_bom(client, report_world):
    w = report_world
    month = w["quarter"].months[0]
    response = _report(client, w["officer"], w["province"], month, "csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-{w["province"].code}-{month}.csv"'
    data = content_of(response)
    assert data.startswith(b"\xef\xbb\xbf")
    head, rows = csv_table(data)
    assert "Tỉnh Thử Nghiệm" in head[0][0] and "hiện trạng" in head[1][0]
    assert head[2][:4] == ["Cấp", "Tên đơn vị", "Mã", "Thuộc"]
    assert [row["Cấp"] for row in rows.values()] == [
        "Tỉnh, thành phố", "Xã, phường, đặc khu", "Xã, phường, đặc khu",
        "Thôn, tổ dân phố", "Thôn, tổ dân phố", "Thôn, tổ dân phố",
    ]
    assert rows[w["nam"].code]["Tên đơn vị"] == "Thôn Nam"


def test_csv_matches_the_xlsx(client, report_world):
    w = report_world
    month = w["quarter"].months[0]
    _, csv_rows = csv_table(content_of(_report(client, w["officer"], w["province"], month, "csv")))
    book = open_xlsx(content_of(_report(client, w["officer"], w["province"], month, "xlsx")))
    xlsx_rows = {code: row for name in book.sheetnames for code, row in sheet_table(book[name]).items()}
    assert set(csv_rows) == set(xlsx_rows)
    compared = 0
    for indicator in Indicator.objects.all():
        for code, xlsx_row in xlsx_rows.items():
            value = xlsx_row[indicator.name]
            if indicator.kind == Kind.RATIO:
                text = csv_rows[code][f"{indicator.name} (%)"]
                assert text == ("" if value is None else f"{round(100 * value, 1):.1f}"), (indicator.code, code)
            else:
                assert csv_rows[code][indicator.name] == str(value), (indicator.code, code)
            compared += 1
    assert compared == Indicator.objects.count() * 6
    coverage = Indicator.objects.get(code="coverage").name
    assert csv_rows[w["province"].code][f"{coverage} (%)"] == "66.7"
