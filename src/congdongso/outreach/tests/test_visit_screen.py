"""The visit screen: five skills per person, recommendations, and an assist saved by the outcome tap."""

import re

import pytest
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.common.ids import new_id
from congdongso.households.models import Household
from congdongso.outreach.models import Assist, FollowUp
from congdongso.outreach.tests.builders import give_skills, make_household


@pytest.fixture
def visit(client, place, catalogue):
    client.force_login(place["member"])
    household, (mother, grandfather) = make_household(
        place["village"], head="Lê Thị Mai",
        residents=[("Lê Thị Mai", 1984, "smartphone"), ("Lê Văn Sáu", 1948, "feature_phone")],
    )
    give_skills(mother, catalogue, ["public_services", "online_shopping", "online_payment", "online_safety"])
    return {"household": household, "mother": mother, "grandfather": grandfather,
            "url": reverse("outreach:visit", args=[household.pk])}


def _form(response) -> dict:
    html = response.content.decode()
    return {
        "assist_id": re.search(r'name="assist_id" value="([^"]+)"', html).group(1),
        "picks": re.findall(r'name="pick" value="([^"]+)"', html),
    }


@pytest.mark.django_db
def test_the_screen_shows_each_persons_five_skills_and_what_to_help_with(client, visit):
    response = client.get(visit["url"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lê Thị Mai" in html and "Lê Văn Sáu" in html
    mother_row = html[html.index(f'data-resident="{visit["mother"].pk}"'):]
    assert mother_row.count('data-state="independent"', 0, mother_row.index("</li>")) == 4
    assert "4/5 kỹ năng" in html and "Thiếu 1/5 kỹ năng" in html and "Chưa có hạt nhân số" in html
    picks = _form(response)["picks"]
    assert picks, "the household has recommendations to tap"
    assert all(code_resident.count("|") == 1 for code_resident in picks)
    for label in ("Đã xong — tự dùng được", "Đã hướng dẫn", "Cần quay lại", "Từ chối"):
        assert f">{label}</button>" in html
    # Opening a household's personal details is audited, without the details themselves.
    event = AuditEvent.objects.get(action="household.view")
    assert event.object_id == str(visit["household"].pk) and event.details == {"page": "visit"}


@pytest.mark.django_db
def test_one_tap_on_a_service_and_one_on_the_outcome_save_the_assist(client, place, visit):
    form = _form(client.get(visit["url"]))
    pick = f"telehealth|{visit['mother'].pk}"
    data = {"assist_id": form["assist_id"], "pick": pick, "outcome": "independent", "channel": "door", "note": ""}
    response = client.post(visit["url"], data, follow=True)
    html = response.content.decode()
    assert "Đã lưu: Khám chữa bệnh từ xa — Lê Thị Mai" in html and "Đã xong — tự dùng được" in html
    assert "Hộ đã có hạt nhân số" in html
    assist = Assist.objects.get()
    assert str(assist.pk) == form["assist_id"]
    assert (assist.member, assist.resident, assist.services, assist.outcome, assist.independent) == (
        place["member"], visit["mother"], ["telehealth"], "done", True
    )
    household = Household.objects.get(pk=visit["household"].pk)
    assert household.has_nucleus and household.missing_skills == 0

    # A double tap (the same form again) records nothing more.
    again = client.post(visit["url"], data, follow=True)
    assert "đã được ghi nhận trước đó" in again.content.decode()
    assert Assist.objects.count() == 1
    # The same old form used for other help is other help: a new assist with a new id.
    client.post(visit["url"], {**data, "pick": f"scam-awareness|{visit['grandfather'].pk}", "outcome": "follow_up"})
    assert Assist.objects.count() == 2
    follow_up = FollowUp.objects.get()
    assert follow_up.household == household and follow_up.created_from.resident == visit["grandfather"]


@pytest.mark.django_db
def test_another_service_and_person_can_be_chosen_below_the_recommendations(client, visit):
    form = _form(client.get(visit["url"]))
    client.post(visit["url"], {
        "assist_id": form["assist_id"], "service": "mobile-money", "resident": str(visit["grandfather"].pk),
        "outcome": "assisted", "channel": "phone", "note": "Hướng dẫn nạp tiền qua USSD",
    })
    assist = Assist.objects.get()
    assert (assist.services, assist.resident, assist.channel, assist.independent) == (
        ["mobile-money"], visit["grandfather"], "phone", False
    )
    assert assist.note == "Hướng dẫn nạp tiền qua USSD"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pick": "", "service": ""}, "Hãy chọn việc đã giúp"),
        ({"outcome": ""}, "Hãy chạm vào một kết quả để lưu."),
        ({"outcome": "great"}, "Lựa chọn không hợp lệ."),
        ({"pick": "vneid-level2|" + str(new_id())}, "Gợi ý đã chọn không còn phù hợp"),
        ({"service": "no-such"}, "Lựa chọn không hợp lệ."),
        ({"note": "mk: hoa12345"}, "Không được ghi mật khẩu, mã OTP"),
        ({"note": "x" * 300}, "Tối đa 280 ký tự"),
        ({"assist_id": "abc"}, "Biểu mẫu"),
    ],
)
def test_bad_input_re_renders_with_a_vietnamese_error_and_saves_nothing(client, visit, change, message):
    form = _form(client.get(visit["url"]))
    data = {"assist_id": form["assist_id"], "pick": f"telehealth|{visit['mother'].pk}", "outcome": "independent",
            "channel": "door", "note": "", **change}
    response = client.post(visit["url"], data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assist.objects.exists()


@pytest.mark.django_db
def test_a_counts_only_household_is_named_by_its_id_and_not_audited_as_personal(client, place, catalogue):
    client.force_login(place["member"])
    household, _ = make_household(place["village"], consent=False, residents=[("", None, "smartphone")])
    html = client.get(reverse("outreach:visit", args=[household.pk])).content.decode()
    assert f"Hộ {household.short_code} (chưa đồng ý" in html and "Nhân khẩu 1" in html
    assert not AuditEvent.objects.filter(action="household.view").exists()
