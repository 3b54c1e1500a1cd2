"""The VietQR sign page: builds the sign from form input, stores nothing unless the household's
consent is in force and the owner agrees; withdrawal erases a stored account; audit holds no
account number."""

import pytest
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.catalog.models import MerchantAccount
from congdongso.catalog.tests.conftest import SMART
from congdongso.households.models import Tag
from congdongso.households.services import consent_withdraw
from congdongso.testing import forms as form_helpers
from congdongso.testing.forms import LONG, assert_refused, page_text

pytestmark = pytest.mark.django_db

ACCOUNT = "113366668888"
SIGN = {"bank": "vietinbank", "account_number": "1133 6666 8888", "account_name": "Nguyễn Thị Hoa",
        "shop_name": "Tạp hóa Cô Hoa", "amount": "", "purpose": "Tiền hàng"}


@pytest.fixture
def shop(world, household):
    return household((45, SMART), village=world["village"], tags=[Tag.BUSINESS])


@pytest.fixture
def member(client, world):
    client.force_login(world["member"])
    return client


def _no_account_in_audit():
    for details in AuditEvent.objects.values_list("details", flat=True):
        assert ACCOUNT not in str(details) and "6666" not in str(details)


def test_a_member_makes_a_sign_and_nothing_is_stored(member, shop):
    url = reverse("catalog:vietqr_household", args=[shop.pk])
    page = page_text(member.get(url))
    assert "Làm biển mã QR nhận thanh toán" in page and "Vietcombank" in page
    assert 'name="store"' in page and 'name="store" checked' not in page  # offered, never pre-ticked
    response = member.post(url, SIGN)
    assert response.status_code == 200
    text = page_text(response)
    assert "<svg" in text and "1133 6666 8888" in text and "NGUYỄN THỊ HOA" in text
    assert "Tạp hóa Cô Hoa" in text and "Nội dung: Tien hang" in text
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    assert MerchantAccount.objects.count() == 0
    assert AuditEvent.objects.filter(action="vietqr.sign", object_id=str(shop.pk), details={"bank": "vietinbank"}).exists()
    _no_account_in_audit()


def test_the_sign_downloads_as_an_svg_file(member, shop):
    response = member.post(reverse("catalog:vietqr_household", args=[shop.pk]), {**SIGN, "download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == 'attachment; filename="bien-vietqr.svg"'
    assert response.content.startswith(b"<?xml") and b'width="148mm" height="210mm"' in response.content


def test_the_owner_agrees_to_keep_the_account_then_withdrawal_erases_it(member, shop, world):
    url = reverse("catalog:vietqr_household", args=[shop.pk])
    assert member.post(url, {**SIGN, "store": "on"}).status_code == 200
    stored = MerchantAccount.objects.get(household=shop)
    assert (stored.bank, stored.account_number, stored.account_name) == ("vietinbank", ACCOUNT, "Nguyễn Thị Hoa")
    assert stored.recorded_by == world["member"]
    # Next visit: the form comes back filled in, and that view of personal details is audited.
    page = page_text(member.get(url))
    assert f'value="{ACCOUNT}"' in page and "Đang lưu tài khoản của hộ" in page
    assert AuditEvent.objects.filter(action="merchant_account.view", object_id=str(shop.pk)).exists()
    _no_account_in_audit()
    consent_withdraw(household=shop, actor_id=None)
    assert not MerchantAccount.objects.filter(household=shop).exists()


def test_the_owner_can_ask_to_forget_the_account(member, shop):
    url = reverse("catalog:vietqr_household", args=[shop.pk])
    member.post(url, {**SIGN, "store": "on"})
    response = member.post(url, {"action": "forget"})
    assert response.status_code == 302
    assert not MerchantAccount.objects.exists()
    assert AuditEvent.objects.filter(action="merchant_account.forget", object_id=str(shop.pk)).exists()


def test_without_household_consent_the_sign_is_made_but_nothing_can_be_stored(member, world, household):
    counts_only = household(village=world["village"], tags=[Tag.BUSINESS], consent=False)
    url = reverse("catalog:vietqr_household", args=[counts_only.pk])
    page = page_text(member.get(url))
    assert 'name="store"' not in page and "không lưu số tài khoản" in page
    response = member.post(url, {**SIGN, "store": "on"})
    assert response.status_code == 200 and "<svg" in page_text(response)
    assert MerchantAccount.objects.count() == 0


def test_the_page_without_a_household_stores_nothing(member):
    url = reverse("catalog:vietqr")
    assert 'name="store"' not in page_text(member.get(url))
    response = member.post(url, {**SIGN, "store": "on"})
    assert "<svg" in page_text(response) and MerchantAccount.objects.count() == 0


def test_households_out_of_scope_answer_404(client, world, household):
    far = household(village=world["other_village"], tags=[Tag.BUSINESS])
    client.force_login(world["member"])
    url = reverse("catalog:vietqr_household", args=[far.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {**SIGN, "store": "on"}).status_code == 404
    assert client.get("/catalog/vietqr/not-a-uuid/").status_code == 404
    assert MerchantAccount.objects.count() == 0
    client.logout()
    assert client.get(url).status_code == 302


VIETQR_CASES = [
    ({"bank": ""}, "Cần chọn ngân hàng."),
    ({"bank": "ngan-hang-ma"}, "Ngân hàng không có trong danh sách."),
    ({"account_number": ""}, "Cần nhập số tài khoản."),
    ({"account_number": "12"}, "từ 6 đến 19 ký tự"),
    ({"account_number": LONG}, "Số tài khoản quá dài."),
    ({"account_number": "1133\x006666"}, "Có ký tự không hợp lệ (ký tự NUL)."),
    ({"account_number": "9704 0000 0000 0018"}, "Đây là số thẻ ngân hàng"),
    ({"account_number": "một hai ba bốn"}, "Số tài khoản chỉ gồm chữ số"),
    ({"amount": "năm mươi nghìn"}, "Số tiền chỉ gồm chữ số"),
    ({"amount": "0"}, "Số tiền phải từ 1 đồng"),
    ({"purpose": "Thanh toán tiền hàng tháng năm nay"}, "tối đa 25 ký tự"),
    ({"purpose": LONG}, "Nội dung chuyển khoản quá dài."),
    ({"account_name": LONG}, "Tên chủ tài khoản tối đa 50 ký tự."),
    ({"shop_name": LONG}, "Tên cửa hàng tối đa 60 ký tự."),
]


@pytest.mark.parametrize(("change", "expected"), VIETQR_CASES, ids=[str(c)[:30] for c, _ in VIETQR_CASES])
def test_the_sign_form_refuses_garbage_in_vietnamese(member, shop, monkeypatch, change, expected):
    monkeypatch.setattr(form_helpers, "PROJECT_APPS", (*form_helpers.PROJECT_APPS, "catalog", "households"))
    url = reverse("catalog:vietqr_household", args=[shop.pk])
    text = assert_refused(member, url, {**SIGN, "store": "on", **change}, expected)
    assert "<svg" not in text
