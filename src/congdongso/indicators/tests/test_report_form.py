"""The report page: defaults to the last complete month and XLSX; unclear input is refused with a
Vietnamese message and nothing written (not even an audit row)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.indicators.reports import last_complete_month
from congdongso.indicators.tests.report_helpers import report_post
from congdongso.testing.forms import LONG, NUL, assert_refused, page_text

pytestmark = pytest.mark.django_db


def _next_month() -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=28) + dt.timedelta(days=5)).replace(day=1)


def test_the_page_defaults_to_the_last_complete_month_as_xlsx(client, report_world):
    w = report_world
    client.force_login(w["officer_a"])
    response = client.get(reverse("indicators:report", args=[w["a"].pk]))
    text = page_text(response)
    assert response.status_code == 200
    default = last_complete_month()
    assert f'value="{default.year:04d}-{default.month:02d}"' in text
    assert 'name="kind" value="month" id="id_kind_0" required checked' in text
    assert 'name="format" value="xlsx" id="id_format_0" required checked' in text
    dashboard = page_text(client.get(reverse("indicators:dashboard", args=[w["a"].pk])))
    assert reverse("indicators:report", args=[w["a"].pk]) in dashboard


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (report_post(month="13/2026"), "Tháng không hợp lệ: nhập theo dạng mm/yyyy"),
        (report_post(month="tháng ba"), "Tháng không hợp lệ: nhập theo dạng mm/yyyy"),
        (report_post(month=""), "Hãy nhập tháng báo cáo (mm/yyyy)."),
        (report_post(month="12/2019"), "Chỉ lập được báo cáo từ năm 2020."),
        (report_post(month=NUL), ("Có ký tự không hợp lệ", "Tháng không hợp lệ")),
        (report_post(month=LONG), "Tối đa 10 ký tự"),
        (report_post("quarter", quarter=2), "Hãy nhập năm của quý, ví dụ 2026."),
        (report_post("quarter", year=2026), "Hãy chọn quý báo cáo."),
        ({**report_post("quarter", quarter=1), "year": "năm nay"}, "Năm phải là một số, ví dụ 2026."),
        (report_post("quarter", quarter=5, year=2026), "Quý phải từ 1 đến 4."),
        (report_post("quarter", quarter=1, year=2019), "Chỉ lập được báo cáo từ năm 2020."),
        ({"format": "xlsx", "month": "01/2026"}, "Hãy chọn báo cáo tháng hoặc báo cáo quý."),
        (report_post("week", month="01/2026"), "Lựa chọn không hợp lệ."),
        (report_post(month="01/2026", fmt="pdf"), "Lựa chọn không hợp lệ."),
        ({"kind": "month", "month": "01/2026"}, "Hãy chọn định dạng tệp."),
    ],
)
def test_unclear_input_is_refused_in_vietnamese(client, report_world, data, message):
    w = report_world
    client.force_login(w["officer_a"])
    assert_refused(client, reverse("indicators:report", args=[w["a"].pk]), data, message)


def test_a_period_not_yet_begun_is_refused(client, report_world):
    w = report_world
    client.force_login(w["officer_a"])
    url = reverse("indicators:report", args=[w["a"].pk])
    month = _next_month()
    assert_refused(client, url, report_post(month=month.strftime("%m/%Y")), "chưa bắt đầu")
    assert_refused(client, url, report_post("quarter", quarter=1, year=month.year + 1), "chưa bắt đầu")


@pytest.mark.parametrize("month", ["03/2026", "3/2026", "2026-03", " 03 / 2026 "])
def test_months_are_read_in_the_usual_ways(client, report_world, month):
    w = report_world
    client.force_login(w["officer_a"])
    response = client.post(reverse("indicators:report", args=[w["a"].pk]), report_post(month=month))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2026-03.xlsx"')


def test_the_current_month_is_allowed_and_fields_of_the_other_kind_are_ignored(client, report_world):
    w = report_world
    client.force_login(w["officer_a"])
    today = timezone.localdate()
    response = client.post(
        reverse("indicators:report", args=[w["a"].pk]),
        {**report_post(month=today.strftime("%m/%Y"), fmt="csv"), "year": "không", "quarter": "9"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-{today:%Y-%m}.csv"')
