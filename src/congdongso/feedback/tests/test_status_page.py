"""The public status page: status, public updates and dates by code — never the text, the contact,
internal notes or who handled it."""

import html

import pytest
from django.urls import reverse

from congdongso.feedback.models import Status
from congdongso.feedback.services import report_assign, report_note_add, report_status_set

pytestmark = pytest.mark.django_db


def page_of(client, report) -> str:
    response = client.get(reverse("feedback:status", args=[report.code]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_status_page_shows_status_public_updates_and_dates_but_no_personal_data(client, world, submit_report):
    report = submit_report(
        world["village"], text="Bà Nguyễn Thị Hoa ở số 7 cần giúp cài VNeID.",
        contact_name="Nguyễn Thị Hoa", contact_phone="0912 345 678", contact_consent=True,
    )
    officer = world["officer_a"]
    report_assign(report=report, user=world["member_user"], actor_id=officer.pk)
    report_note_add(report=report, text="Tổ sẽ đến vào sáng thứ Bảy.", is_public=True, actor_id=officer.pk)
    report_note_add(report=report, text="Gọi trước cho chị Hoa.", is_public=False, actor_id=officer.pk)
    page = page_of(client, report)
    assert report.code in page and "Đã phân công" in page
    assert "Tổ sẽ đến vào sáng thứ Bảy." in page
    assert report.due_on.strftime("%d/%m/%Y") in page
    for secret in ("Nguyễn Thị Hoa", "0912", "+8491", "số 7", "Gọi trước", world["member_user"].display_name, "Lê Văn Tâm"):
        assert secret not in page, secret


def test_codes_are_read_however_they_are_written(client, world, submit_report):
    report = submit_report(world["village"])
    typed = f"{report.code[:4].lower()}-{report.code[4:].lower()}"
    response = client.get(reverse("feedback:status_lookup"), {"code": f"  {typed} "})
    assert response.status_code == 302 and response["Location"] == reverse("feedback:status", args=[report.code])
    lower = client.get(reverse("feedback:status", args=[report.code.lower()]))
    assert lower.status_code == 302


def test_unknown_and_malformed_codes_answer_in_vietnamese(client, world):
    lookup = reverse("feedback:status_lookup")
    assert "Không tìm thấy phản ánh nào có mã này" in html.unescape(client.get(lookup, {"code": "ZZZZ2222"}).content.decode())
    assert "Mã theo dõi gồm 8 chữ cái" in html.unescape(client.get(lookup, {"code": "abc"}).content.decode())
    assert "Hãy nhập mã theo dõi." in html.unescape(client.get(lookup, {"code": ""}).content.decode())
    assert client.get(lookup, {"code": "x" * 5000}).status_code == 200
    missing = client.get(reverse("feedback:status", args=["ZZZZ2222"]))
    assert missing.status_code == 404 and "Không tìm thấy phản ánh" in html.unescape(missing.content.decode())


def test_a_rejection_shows_its_reason(client, world, submit_report):
    report = submit_report(world["village"], category="other")
    report_status_set(report=report, status=Status.REJECTED, reason="Nội dung không thuộc thẩm quyền của xã.", actor_id=None)
    page = page_of(client, report)
    assert "Từ chối" in page and "Nội dung không thuộc thẩm quyền của xã." in page
