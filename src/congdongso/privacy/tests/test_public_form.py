"""The public form: no account, the commune found by name, the box never ticked for the person, a
request waiting for verification with a code to read out; honeypot and rate limit as on the
feedback form."""

import html

import pytest
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.privacy.models import DataSubjectRequest, Status

pytestmark = pytest.mark.django_db

URL = reverse("privacy:submit")


def text(response) -> str:
    return html.unescape(response.content.decode())


def post(client, world, **data):
    base = {"action": "send", "kind": "access", "unit": world["a"].pk, "name": "Phạm Thị Hoa",
            "phone": "0912 345 678", "understood": "on"}
    return client.post(URL, {**base, **data})


def test_the_form_opens_without_login_and_nothing_is_ticked(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Yêu cầu về dữ liệu cá nhân của bạn" in page
    tag = page.split('name="understood"')[0].rsplit("<input", 1)[1] + page.split('name="understood"')[1].split(">", 1)[0]
    assert "checked" not in tag


def test_finding_the_commune_by_name_without_diacritics(client, world):
    page = text(client.post(URL, {"action": "find", "place_query": "an binh", "name": "giữ nguyên"}))
    assert f'value="{world["a"].pk}"' in page and "giữ nguyên" in page
    assert not DataSubjectRequest.objects.exists()


def test_a_request_waits_for_verification_and_shows_its_code(client, world):
    response = post(client, world, details="Tôi muốn xem thông tin đã lưu.")
    assert response.status_code == 200
    request = DataSubjectRequest.objects.get()
    assert request.status == Status.VERIFYING and request.channel == "public_form"
    assert request.commune == world["a"] and request.subject_phone == "+84912345678"
    page = text(response)
    assert request.code in page and "xác minh" in page
    event = AuditEvent.objects.get(action="privacy.submit")
    assert event.actor_id is None and "Hoa" not in str(event.details) and "912345678" not in str(event.details)


def test_a_village_routes_to_its_commune(client, world):
    post(client, world, unit=world["village"].pk)
    assert DataSubjectRequest.objects.get().commune == world["a"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "Số điện thoại không hợp lệ"),
        ("phone", "", "Hãy nhập số điện thoại"),
        ("name", "", "Hãy nhập họ tên"),
        ("understood", "", "Hãy đánh dấu ô này"),
        ("unit", "", "Hãy tìm và chọn xã/phường"),
        ("unit", "999999999", "Địa bàn đã chọn không hợp lệ"),
        ("details", "OTP 123456", "mã OTP"),
    ],
)
def test_unclear_input_is_refused_in_vietnamese(client, world, field, value, message):
    response = post(client, world, **{field: value})
    assert response.status_code == 200 and message in text(response)
    assert not DataSubjectRequest.objects.exists()


def test_the_honeypot_stores_nothing(client, world):
    response = post(client, world, website="http://spam.example")
    assert response.status_code == 200 and not DataSubjectRequest.objects.exists()
    assert "Không gửi được yêu cầu" in text(response)


def test_the_rate_limit_stops_a_flood(client, world, settings):
    settings.PRIVACY_RATE_LIMITS = {"submit": (2, 3600)}
    assert post(client, world).status_code == 200
    assert post(client, world).status_code == 200
    response = post(client, world)
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert DataSubjectRequest.objects.count() == 2
