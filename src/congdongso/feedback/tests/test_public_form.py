"""The public form: no login, place found by name without diacritics (without JavaScript too), a
tracking code in answer, routed to the commune of the place with the category's SLA."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.feedback.models import Change, Report, Status
from congdongso.feedback.sla import DEFAULT_SLA_DAYS

pytestmark = pytest.mark.django_db

URL = reverse("feedback:submit")


def text(response) -> str:
    return html.unescape(response.content.decode())


def post(client, **data):
    base = {"action": "send", "category": "connectivity", "text": "Sóng điện thoại ở cuối thôn rất yếu."}
    return client.post(URL, {**base, **data})


def test_the_form_opens_without_login_with_consent_never_ticked(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Gửi phản ánh, kiến nghị" in page
    assert 'name="contact_consent"' in page
    consent_input = page.split('name="contact_consent"')[0].rsplit("<input", 1)[1] + page.split('name="contact_consent"')[1].split(">", 1)[0]
    assert "checked" not in consent_input


def test_finding_a_place_by_name_without_diacritics_lists_it_with_its_commune(client, world):
    response = client.post(URL, {"action": "find", "place_query": "thon dong", "text": "giữ nguyên"})
    page = text(response)
    assert response.status_code == 200
    assert f'value="{world["village"].pk}"' in page
    assert "Thôn Đông, Xã An Bình, Tỉnh Thử Nghiệm" in page
    assert "giữ nguyên" in page  # what was typed stays
    assert "Trường này không được để trống" not in page  # finding a place is not a submission
    assert Report.objects.count() == 0
    # "name, parent" narrows to one commune's places.
    narrowed = text(client.post(URL, {"action": "find", "place_query": "thon, binh minh"}))
    assert f'value="{world["village_b"].pk}"' in narrowed and f'value="{world["village"].pk}"' not in narrowed


def test_a_submitted_report_gets_a_code_lands_in_its_commune_with_the_sla_due_date(client, world):
    response = post(client, unit=world["village"].pk, category="payment")
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feedback:status", args=[report.code])
    assert report.commune == world["a"] and report.unit == world["village"]
    assert report.status == Status.NEW
    assert report.due_on == timezone.localdate() + dt.timedelta(days=DEFAULT_SLA_DAYS["payment"])
    assert list(report.history.values_list("change", "to_status")) == [(Change.CREATED, Status.NEW)]
    event = AuditEvent.objects.get(action="feedback.submit")
    assert event.unit_id == world["a"].pk and event.details == {"category": "payment", "contact": False}
    followed = client.get(response["Location"])
    assert report.code in text(followed) and "Mới" in text(followed)


def test_a_commune_can_be_named_directly(client, world):
    post(client, unit=world["b"].pk, category="suggestion")
    assert Report.objects.get().commune == world["b"]


def test_a_sla_table_in_settings_overrides_the_default(client, world, settings):
    settings.FEEDBACK_SLA_DAYS = {"connectivity": 1}
    post(client, unit=world["village"].pk)
    assert Report.objects.get().due_on == timezone.localdate() + dt.timedelta(days=1)


def test_contact_is_kept_only_with_consent_and_normalised(client, world):
    refused = post(client, unit=world["village"].pk, contact_name="Bà Lan", contact_phone="0912 345 678")
    assert refused.status_code == 200 and "hãy đánh dấu ô đồng ý" in text(refused)
    assert Report.objects.count() == 0
    post(client, unit=world["village"].pk, contact_name=" Bà  Lan ", contact_phone="0912 345 678", contact_consent="on")
    report = Report.objects.get()
    assert (report.contact_name, report.contact_phone) == ("Bà Lan", "+84912345678")
    assert report.contact_consent_at is not None and report.contact_notice_version


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"category": ""}, "Hãy chọn loại phản ánh."),
        ({"category": "nonsense"}, "Lựa chọn không hợp lệ."),
        ({"unit": ""}, "Hãy tìm và chọn xã/phường hoặc thôn"),
        ({"unit": "99999999"}, "Địa bàn đã chọn không hợp lệ"),
        ({"unit": "abc\x00"}, "Địa bàn đã chọn không hợp lệ"),
        ({"unit": "9" * 40}, "Địa bàn đã chọn không hợp lệ"),
        ({"text": ""}, "Hãy viết nội dung phản ánh."),
        ({"text": "   ngắn  "}, "Hãy viết rõ hơn"),
        ({"text": "x" * 2001}, "Nội dung tối đa 2000 ký tự"),
        ({"text": "Sóng yếu\x00 quá đi thôi"}, "Có ký tự không hợp lệ (ký tự NUL)."),
        ({"text": "Không kích hoạt được VNeID, số CCCD 001099012345"}, "Không được ghi số CCCD"),
        ({"text": "Tôi bị mất tiền, mã OTP 123456 đã gửi cho họ"}, "Không được ghi mật khẩu, mã OTP"),
        ({"contact_consent": "on"}, "hãy nhập số điện thoại"),
        ({"contact_consent": "on", "contact_phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"contact_consent": "on", "contact_phone": "0912345678", "contact_name": "x" * 101}, "Tên tối đa 100 ký tự"),
        ({"place_query": "y" * 101}, "Tên địa bàn quá dài."),
    ],
)
def test_unclear_input_is_refused_in_vietnamese_and_nothing_is_stored(client, world, data, message):
    response = post(client, **{"unit": world["village"].pk, **data})
    assert response.status_code == 200
    page = text(response)
    assert message in page, page[:3000]
    assert "This field" not in page and "Enter a valid" not in page and "Select a valid" not in page
    assert Report.objects.count() == 0


def test_a_home_visit_needs_a_village(client, world):
    response = post(client, unit=world["a"].pk, category="home_visit")
    assert "Đề nghị hỗ trợ tại nhà cần chọn thôn/tổ dân phố" in text(response)
    assert Report.objects.count() == 0


def test_a_retired_unit_cannot_be_chosen(client, world):
    from congdongso.geo.models import Unit

    Unit.objects.filter(pk=world["other_village"].pk).update(valid_until=dt.date(2025, 6, 30))
    response = post(client, unit=world["other_village"].pk)
    assert "Địa bàn đã chọn không hợp lệ" in text(response)
    assert Report.objects.count() == 0


def test_an_empty_post_and_other_methods_never_fail(client, world):
    assert client.post(URL, {}).status_code == 200
    assert client.put(URL).status_code == 405
    assert client.get(URL, {"place": "\x00" * 5, "category": "???"}).status_code == 200


FIELDS = ("category", "place_query", "unit", "text", "contact_name", "contact_phone", "contact_consent", "action")


@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=300), max_size=len(FIELDS)))
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_whatever_is_posted_the_form_answers_without_failing(client, world, data):
    from django.core.cache import cache

    cache.clear()
    before = Report.objects.count()
    response = client.post(URL, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Report.objects.count() == before


def test_place_ids_are_written_without_thousand_separators(rf):
    # USE_THOUSAND_SEPARATOR would print 1234567 as "1.234.567" and the choice would not read back.
    from django.template.loader import render_to_string

    from congdongso.feedback.forms import FeedbackForm

    page = render_to_string(
        "feedback/submit.html",
        {"form": FeedbackForm(), "places": [(1234567, "Thôn X"), (1234568, "Thôn Y")], "searched": True, "chosen": "1234567"},
        request=rf.get("/feedback/"),
    )
    assert 'value="1234567" checked' in page and 'value="1234568">' in page
