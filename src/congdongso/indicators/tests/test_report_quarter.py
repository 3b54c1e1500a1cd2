"""A quarterly report sums the monthly indicators over the quarter's three months (and only those);
current-state indicators are the same in a monthly and a quarterly report."""

import pytest
from django.urls import reverse

from congdongso.indicators.models import Indicator
from congdongso.indicators.tests.report_helpers import content_of, csv_table, open_xlsx, report_post, sheet_table
from congdongso.outreach.models import Assist, Outcome

pytestmark = pytest.mark.django_db


def _book(client, user, unit, data):
    client.force_login(user)
    response = client.post(reverse("indicators:report", args=[unit.pk]), data)
    assert response.status_code == 200
    return open_xlsx(content_of(response))


def test_quarter_sums_its_three_months(client, report_world):
    w = report_world
    quarter = w["quarter"]
    book = _book(client, w["officer"], w["province"], report_post("quarter", quarter=quarter.quarter, year=quarter.year))
    assert f"quý {quarter.quarter}/{quarter.year}" in book.worksheets[0]["A1"].value
    assists, done = Indicator.objects.get(code="assists").name, Indicator.objects.get(code="assists-done").name
    province = sheet_table(book["Tỉnh, thành phố"])[w["province"].code]
    in_quarter = Assist.objects.filter(month__in=quarter.months)
    assert province[assists] == in_quarter.count() == 4  # not the assists just before and after
    assert Assist.objects.count() == 6
    assert province[done] == in_quarter.filter(outcome=Outcome.DONE).count() == 3
    rate = Indicator.objects.get(code="assists-done-rate").name
    assert province[rate] == pytest.approx(3 / 4)  # a ratio of the quarter's sums
    villages = sheet_table(book["Thôn, tổ dân phố"])
    assert [villages[w[v].code][assists] for v in ("dong", "nam", "tay")] == [2, 1, 1]

    monthly = [
        sheet_table(_book(client, w["officer"], w["province"], report_post(month=m))["Tỉnh, thành phố"])[w["province"].code]
        for m in quarter.months
    ]
    assert [m[assists] for m in monthly] == [2, 1, 1]
    households = Indicator.objects.get(code="households").name
    assert {m[households] for m in monthly} == {province[households]} == {6}


def test_quarter_csv_has_the_same_sums(client, report_world):
    w = report_world
    quarter = w["quarter"]
    client.force_login(w["officer"])
    response = client.post(
        reverse("indicators:report", args=[w["a"].pk]),
        report_post("quarter", quarter=quarter.quarter, year=quarter.year, fmt="csv"),
    )
    _, rows = csv_table(content_of(response))
    assists = Indicator.objects.get(code="assists").name
    assert {code: row[assists] for code, row in rows.items()} == {w["a"].code: "3", w["dong"].code: "2", w["nam"].code: "1"}
