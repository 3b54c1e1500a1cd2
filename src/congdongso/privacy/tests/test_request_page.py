"""The request page offers the next step only: verify, then acknowledge, then complete or refuse;
an erasure warns before it runs; a service's refusal is shown on the page, not as an error."""

import html

import pytest
from django.urls import reverse

from congdongso.privacy.models import DataSubjectRequest, Kind, Status
from congdongso.privacy.services import request_submit

pytestmark = pytest.mark.django_db


def page(client, request) -> str:
    response = client.get(reverse("privacy:request", args=[request.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_each_status_offers_its_next_step(client, world, open_request):
    client.force_login(world["officer_a"])
    public = request_submit(kind=Kind.ERASE, commune=world["a"], name="Phạm Thị Hoa", phone="0912345678")
    text = page(client, public)
    assert "Đã xác minh đúng người" in text and "Tải tệp Excel" not in text and "Hoàn thành sẽ xóa" not in text
    received = open_request(Kind.ERASE, household=world["household"])
    text = page(client, received)
    assert "Đã xác nhận với người yêu cầu" in text and "Hoàn thành sẽ xóa vĩnh viễn" in text and "Tải tệp Excel" in text
    client.post(reverse("privacy:step", args=[received.pk, "acknowledge"]))
    text = page(client, received)
    assert DataSubjectRequest.objects.get(pk=received.pk).status == Status.ACKNOWLEDGED
    assert "Hoàn thành sẽ xóa vĩnh viễn" in text


def test_a_refused_step_is_shown_on_the_page(client, world, open_request):
    client.force_login(world["officer_a"])
    request = open_request(Kind.RESTRICT, subject_name="Phạm Thị Hoa", subject_phone="0912345678")
    response = client.post(reverse("privacy:step", args=[request.pk, "complete"]), {"outcome": ""})
    assert response.status_code == 400
    assert "Hãy gắn yêu cầu với hộ gia đình trước khi thực hiện." in html.unescape(response.content.decode())
    assert DataSubjectRequest.objects.get(pk=request.pk).status == Status.RECEIVED
    response = client.post(reverse("privacy:step", args=[request.pk, "refuse"]), {"outcome": "ngắn"})
    assert response.status_code == 400
    response = client.post(reverse("privacy:step", args=[request.pk, "unknown"]))
    assert response.status_code == 404


def test_the_pages_render_in_english(client, world, open_request):
    request = open_request(Kind.EXPORT, household=world["household"])
    client.force_login(world["officer_a"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("privacy:queue")).status_code == 200
    assert client.get(reverse("privacy:request", args=[request.pk])).status_code == 200
    assert client.get(reverse("privacy:submit")).status_code == 200
