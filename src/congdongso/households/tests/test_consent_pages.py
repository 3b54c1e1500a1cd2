"""The consent gate through the pages: counts first, nothing personal without consent, nothing
pre-ticked, withdrawal anonymises at once; every view of personal details is audited."""

import re

import pytest
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.households.models import CURRENT_NOTICE_VERSION, ConsentRecord, Household, Resident
from congdongso.households.tests.conftest import assert_refused_here, consented_household
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db

CONSENT_OK = {
    "given_by": "Bà Trần Thị Lan", "method": "spoken", "purposes": ["digital_support", "contact"],
    "notice_version": CURRENT_NOTICE_VERSION, "notice_explained": "on",
}


@pytest.fixture
def member(client, world):
    client.force_login(world["member"])
    return client


def _create(client, world, **extra):
    data = {"village": world["village_a"].pk, "resident_count": "3", "tags": ["elderly", "business"], **extra}
    response = client.post(reverse("households:create"), data)
    assert response.status_code == 302, page_text(response)[:2000]
    return Household.objects.get(), response


def test_a_household_starts_as_counts_only_and_the_details_form_refuses_without_consent(member, world):
    household, response = _create(member, world)
    assert response["Location"] == reverse("households:detail", args=[household.pk])
    assert (household.resident_count, household.tags, household.has_consent) == (3, {"elderly", "business"}, False)
    assert (household.head_name, household.address_line, household.phone) == ("", "", "")

    url = reverse("households:details", args=[household.pk])
    assert "chưa đồng ý cung cấp thông tin" in page_text(member.get(url))
    data = {"head_name": "Nguyễn Văn An", "address_line": "Số 5", "phone": "0912 345 678"}
    assert_refused_here(member, url, data, "chưa đồng ý cung cấp thông tin")
    # Even the resident form will not take a name for this household.
    resident_url = reverse("households:resident_add", args=[household.pk])
    assert_refused_here(
        member, resident_url, {"display_name": "Nguyễn Văn An", "sex": "male", "device": "smartphone"},
        "chưa đồng ý cung cấp thông tin",
    )
    # An anonymous resident (sex and device only) is fine: counts stay true without names.
    assert member.post(resident_url, {"sex": "female", "device": "feature_phone"}).status_code == 302
    resident = Resident.objects.get()
    assert (resident.display_name, resident.device) == ("", "feature_phone")


def test_save_and_consent_button_leads_to_the_consent_form(member, world):
    household, response = _create(member, world, consent="1")
    assert response["Location"] == reverse("households:consent", args=[household.pk])


def test_the_consent_form_pre_ticks_nothing_and_shows_the_notice_with_its_version(member, world):
    household, _ = _create(member, world)
    text = page_text(member.get(reverse("households:consent", args=[household.pk])))
    assert f"phiên bản {CURRENT_NOTICE_VERSION}" in text
    assert "Chúng tôi không bao giờ ghi" in text and "số căn cước công dân" in text
    assert "Không bao giờ ghi mật khẩu, mã OTP, ảnh hay số CCCD của người dân." in text
    inputs = re.findall(r"<input[^>]*>", text)
    boxes = [tag for tag in inputs if 'type="checkbox"' in tag or 'type="radio"' in tag]
    assert len(boxes) == 3 + 3 + 1  # three purposes, three methods, the notice box
    assert not [tag for tag in boxes if "checked" in tag]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"purposes": []}, "Cần chọn ít nhất một mục đích được đồng ý."),
        ({"purposes": ["contact"]}, "người dân cần đồng ý mục đích “Hỗ trợ sử dụng dịch vụ số”"),
        ({"purposes": ["marketing"]}, "Lựa chọn không hợp lệ."),
        ({"method": ""}, "Cần chọn hình thức đồng ý."),
        ({"method": "telepathy"}, "Lựa chọn không hợp lệ."),
        ({"notice_explained": ""}, "Cần đọc hoặc giải thích thông báo"),
        ({"notice_version": "2020-01"}, "Thông báo đã được cập nhật"),
        ({"given_by": "  "}, "Cần ghi tên người đồng ý."),
        ({"given_by": "Bà Lan CCCD 001099012345"}, "Không được ghi số CCCD"),
        ({"given_by": "Bà Lan mk: lan1960"}, "Không được ghi mật khẩu, mã OTP"),
    ],
)
def test_the_consent_form_refuses(member, world, change, expected):
    household, _ = _create(member, world)
    data = {**CONSENT_OK, **change}
    assert_refused_here(member, reverse("households:consent", args=[household.pk]), data, expected)


def test_consent_then_details_then_residents_and_every_view_is_audited(member, world):
    household, _ = _create(member, world)
    response = member.post(reverse("households:consent", args=[household.pk]), CONSENT_OK)
    assert response["Location"] == reverse("households:details", args=[household.pk])
    consent = ConsentRecord.objects.get()
    assert (consent.method, consent.purposes, consent.notice_version) == ("spoken", ["contact", "digital_support"], "2026-01")
    assert consent.recorded_by == world["member"]
    # A second consent while one is in force is refused.
    assert_refused_here(member, reverse("households:consent", args=[household.pk]), CONSENT_OK, "đã có bản đồng ý")

    details = {"head_name": "  Trần   Thị Lan ", "address_line": "Số 12, ngõ 34", "phone": "091.234.5678"}
    assert member.post(reverse("households:details", args=[household.pk]), details).status_code == 302
    resident = {"display_name": "Trần Thị Lan", "birth_year": "1958", "sex": "female", "phone": "+84 912 345 679",
                "device": "smartphone"}
    assert member.post(reverse("households:resident_add", args=[household.pk]), resident).status_code == 302
    household.refresh_from_db()
    assert (household.head_name, household.search_name, household.phone) == ("Trần Thị Lan", "tran thi lan", "+84912345678")
    assert Resident.objects.get().phone == "+84912345679"

    AuditEvent.objects.filter(action="household.view").delete()
    text = page_text(member.get(reverse("households:detail", args=[household.pk])))
    assert "Trần Thị Lan" in text and "0912 345 678" in text and "sinh năm 1958" in text
    view = AuditEvent.objects.get(action="household.view")
    assert (view.actor_id, view.object_id, view.unit_id) == (world["member"].pk, str(household.pk), world["village_a"].pk)
    assert view.details == {"page": "detail"}
    # Nothing personal in any audit row written along the way.
    for event in AuditEvent.objects.all():
        assert "Lan" not in str(event.details) and "0912" not in str(event.details)


def test_withdrawal_asks_for_confirmation_then_anonymises_at_once(member, world):
    household = consented_household(world["village_a"], head_name="Phạm Văn Bình", residents=("Phạm Văn Bình", "Lê Thị Hoa"))
    url = reverse("households:withdraw", args=[household.pk])
    assert "không hoàn tác được" in page_text(member.get(url))
    assert_refused_here(member, url, {}, "Cần đánh dấu xác nhận để rút lại đồng ý.")

    response = member.post(url, {"confirm": "on"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.head_name, household.search_name, household.address_line, household.phone) == ("", "", "", "")
    assert household.has_consent is False and household.anonymised_at is not None
    assert household.resident_count == 2 and household.residents.count() == 2
    assert set(household.residents.values_list("display_name", "search_name", "birth_year", "phone")) == {("", "", None, "")}
    assert household.consents.get().given_by == ""
    text = page_text(member.get(reverse("households:detail", args=[household.pk])))
    assert "Phạm Văn Bình" not in text and "Lê Thị Hoa" not in text
    assert "đã được xóa khi rút lại đồng ý" in text
    # Withdrawn: the details form refuses again, and withdrawing twice is refused.
    assert_refused_here(
        member, reverse("households:details", args=[household.pk]),
        {"head_name": "Phạm Văn Bình", "address_line": "", "phone": ""}, "chưa đồng ý cung cấp thông tin",
    )
    assert_refused_here(member, url, {"confirm": "on"}, "không có bản đồng ý đang hiệu lực")


def test_counts_only_pages_are_not_audited_as_views_of_personal_details(member, world):
    household, _ = _create(member, world)
    member.get(reverse("households:detail", args=[household.pk]))
    member.get(reverse("households:list"))
    assert not AuditEvent.objects.filter(action__in=["household.view", "household.list"]).exists()
