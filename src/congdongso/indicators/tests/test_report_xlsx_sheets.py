"""The XLSX report of a unit: one sheet per level, one row per unit, figures equal to the facts,
numbers formatted, header frozen."""

import pytest
from django.urls import reverse

from congdongso.households.models import Household
from congdongso.indicators.models import Indicator
from congdongso.indicators.tests.report_helpers import content_of, open_xlsx, report_post, sheet_table
from congdongso.outreach.models import Assist

pytestmark = pytest.mark.django_db


def _xlsx(client, user, unit, month):
    client.force_login(user)
    response = client.post(reverse("indicators:report", args=[unit.pk]), report_post(month=month))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-{unit.code}-{month}.xlsx"'
    return open_xlsx(content_of(response))


def test_province_report_has_one_sheet_per_level_with_the_facts(client, report_world):
    w = report_world
    month = w["quarter"].months[0]
    book = _xlsx(client, w["officer"], w["province"], month)
    assert book.sheetnames == ["Tỉnh, thành phố", "Xã, phường, đặc khu", "Thôn, tổ dân phố"]
    province, communes, villages = (sheet_table(book[name]) for name in book.sheetnames)
    assert list(province) == [w["province"].code]
    assert list(communes) == [w["a"].code, w["b"].code]  # by name
    assert set(villages) == {w["dong"].code, w["nam"].code, w["tay"].code}

    households = Indicator.objects.get(code="households").name
    for table, units in ((province, [w["province"]]), (communes, [w["a"], w["b"]]),
                         (villages, [w["dong"], w["nam"], w["tay"]])):
        for unit in units:
            assert table[unit.code][households] == Household.objects.filter(village__path__prefix=unit.path).count()
    assert [communes[w["a"].code][households], communes[w["b"].code][households]] == [5, 1]

    row = villages[w["tay"].code]
    assert row["Tên đơn vị"] == "Thôn Tây" and row["Thuộc"] == "Xã Bình Minh"
    assert communes[w["a"].code]["Thuộc"] == "Tỉnh Thử Nghiệm"
    # A ratio is a fraction shown as a percentage: Xã An Bình has a team in 1 of its 2 villages.
    coverage = Indicator.objects.get(code="coverage").name
    assert communes[w["a"].code][coverage] == pytest.approx(0.5)
    assert province[w["province"].code][coverage] == pytest.approx(2 / 3)
    # A monthly count: the assists of that month only.
    assists = Indicator.objects.get(code="assists").name
    assert province[w["province"].code][assists] == Assist.objects.filter(month=month).count() == 2
    assert villages[w["nam"].code][assists] == 0
    residents = Indicator.objects.get(code="residents").name
    assert communes[w["a"].code][residents] == 3 * 4 + 2 * 2


def test_headers_are_indicator_names_numbers_are_formatted_and_the_header_is_frozen(client, report_world):
    w = report_world
    book = _xlsx(client, w["officer"], w["province"], w["quarter"].months[1])
    names = list(Indicator.objects.values_list("name", flat=True))
    ws = book["Xã, phường, đặc khu"]
    assert [c.value for c in ws[3]] == ["Tên đơn vị", "Mã", "Thuộc", *names]
    assert ws.freeze_panes == "B4"
    assert "tháng" in ws["A1"].value and "Tỉnh Thử Nghiệm" in ws["A1"].value
    assert "hiện trạng" in ws["A2"].value and "cộng dồn" in ws["A2"].value
    header = {c.value: c.column_letter for c in ws[3]}
    assert ws[f"{header[Indicator.objects.get(code='households').name]}4"].number_format == "#,##0"
    assert ws[f"{header[Indicator.objects.get(code='coverage').name]}4"].number_format == "0.0%"
    assert ws.column_dimensions["A"].width >= 30 and ws.column_dimensions["D"].width >= 12


def test_a_commune_report_has_the_commune_and_its_villages_and_a_village_one_sheet(client, report_world):
    w = report_world
    month = w["quarter"].months[0]
    commune_book = _xlsx(client, w["officer_a"], w["a"], month)
    assert commune_book.sheetnames == ["Xã, phường, đặc khu", "Thôn, tổ dân phố"]
    assert set(sheet_table(commune_book["Thôn, tổ dân phố"])) == {w["dong"].code, w["nam"].code}
    village_book = _xlsx(client, w["officer_a"], w["dong"], month)
    assert village_book.sheetnames == ["Thôn, tổ dân phố"]
    assert list(sheet_table(village_book["Thôn, tổ dân phố"])) == [w["dong"].code]


def test_a_ratio_with_nothing_to_divide_is_an_empty_cell(client, report_world):
    w = report_world
    book = _xlsx(client, w["officer"], w["province"], w["quarter"].months[0])
    rate = Indicator.objects.get(code="merchant-qr-rate").name  # business households: only in Thôn Tây
    villages = sheet_table(book["Thôn, tổ dân phố"])
    assert villages[w["dong"].code][rate] is None
    assert villages[w["tay"].code][rate] == 0
