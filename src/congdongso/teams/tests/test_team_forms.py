"""Team, member and training forms: unclear input is refused in Vietnamese, never a 500, nothing written."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdongso.accounts.models import Role
from congdongso.teams.models import Attendance, Membership, Team, Training
from congdongso.testing.forms import (
    BAD_DATES, LONG, NUL, SCRIPT, assert_refused, database_state, next_year, page_text, tomorrow,
)

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Có ký tự không hợp lệ (ký tự NUL)."
DATE_MESSAGE = "Ngày không hợp lệ (dd/mm/yyyy)."
CHOICE_MESSAGE = "Lựa chọn không hợp lệ."
REQUIRED_MESSAGE = "Trường này không được để trống."
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def world(make):
    province = make.province()
    commune = make.commune(province, name="Xã An Bình")
    village = make.village(commune, name="Thôn Đông")
    team = make.team(village)
    member = make.member(team, name="Nguyễn Văn An")
    elsewhere = make.commune(province, name="Xã Bình Minh")
    outsider = make.member(make.team(make.village(elsewhere)), name="Trần Thị Bình")
    officer = make.user(Role.COMMUNE_OFFICER, commune)
    return {
        "commune": commune, "village": village, "team": team, "member": member, "outsider": outsider,
        "officer": officer, "officer_elsewhere": make.user(Role.COMMUNE_OFFICER, elsewhere),
    }


@pytest.fixture
def officer(client, world):
    client.force_login(world["officer"])
    return client


# --- team create and edit ---------------------------------------------------------------------------

TEAM_OK = {"name": "Tổ CNSCĐ Thôn Đông", "decision_number": "12/QĐ-UBND", "decision_date": "", "zalo_link": ""}
TEAM_CASES = [
    ({"name": ""}, "Cần nhập tên tổ."),
    ({"name": "   \t  "}, "Cần nhập tên tổ."),
    ({"name": LONG}, "Tên tổ quá dài."),
    ({"name": NUL}, NUL_MESSAGE),
    ({"decision_number": LONG}, "Số quyết định quá dài."),
    ({"decision_number": "12\x00"}, NUL_MESSAGE),
    *[({"decision_date": value}, DATE_MESSAGE) for value in BAD_DATES],
    ({"decision_date": tomorrow()}, "Ngày quyết định không được ở tương lai."),
    ({"decision_date": next_year()}, "Ngày quyết định không được ở tương lai."),
    ({"zalo_link": "javascript:alert(1)"}, "Đường dẫn nhóm Zalo không hợp lệ"),
    ({"zalo_link": "https://example.com/g/abc"}, "Chỉ nhận đường dẫn nhóm Zalo"),
    ({"zalo_link": "https://zalo.me/g/" + LONG}, "Đường dẫn nhóm Zalo quá dài."),
    ({"zalo_link": "https://zalo.me/g/\x00"}, NUL_MESSAGE),
]


def _ids(cases):
    return [f"{next(iter(data))}={next(iter(data.values()))!r:.24}" for data, _ in cases]


@pytest.mark.parametrize(("change", "expected"), TEAM_CASES, ids=_ids(TEAM_CASES))
def test_team_create_refuses(officer, world, change, expected):
    url = reverse("teams:create", args=[world["village"].pk])
    assert_refused(officer, url, {**TEAM_OK, **change}, expected)


@pytest.mark.parametrize(("change", "expected"), TEAM_CASES, ids=_ids(TEAM_CASES))
def test_team_edit_refuses(officer, world, change, expected):
    url = reverse("teams:edit", args=[world["team"].pk])
    assert_refused(officer, url, {**TEAM_OK, "is_active": "on", **change}, expected)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("team_create", "Cần nhập tên tổ."),
        ("team_edit", "Cần nhập tên tổ."),
        ("member_add", "Cần nhập họ tên thành viên."),
        ("member_end", "Cần nhập ngày rời tổ."),
        ("training_create", "Cần nhập nội dung tập huấn."),
    ],
)
def test_an_empty_post_is_refused_not_shown_as_a_blank_form(officer, world, page, expected):
    url = {
        "team_create": reverse("teams:create", args=[world["village"].pk]),
        "team_edit": reverse("teams:edit", args=[world["team"].pk]),
        "member_add": reverse("teams:member_add", args=[world["team"].pk]),
        "member_end": reverse("teams:member_end", args=[world["member"].pk]),
        "training_create": reverse("teams:trainings", args=[world["commune"].pk]),
    }[page]
    assert_refused(officer, url, {}, expected)


def test_markup_in_a_refused_team_form_comes_back_escaped(officer, world):
    url = reverse("teams:create", args=[world["village"].pk])
    response = officer.post(url, {**TEAM_OK, "name": SCRIPT, "decision_date": "hôm qua"})
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()
    assert Team.objects.filter(name=SCRIPT).count() == 0


def test_markup_is_kept_as_text_never_as_markup(officer, world):
    url = reverse("teams:create", args=[world["village"].pk])
    response = officer.post(url, {**TEAM_OK, "name": SCRIPT}, follow=True)
    assert response.status_code == 200
    assert Team.objects.filter(name=SCRIPT).exists()
    assert SCRIPT not in response.content.decode()


def test_team_create_on_a_unit_out_of_scope_is_404_and_writes_nothing(officer, world, make):
    other_village = make.village(make.commune())
    before = database_state()
    response = officer.post(reverse("teams:create", args=[other_village.pk]), TEAM_OK)
    assert response.status_code == 404
    assert database_state() == before


@HYPOTHESIS
@given(name=st.text(max_size=300))
def test_any_team_name_is_saved_or_refused_never_a_500(officer, world, name):
    url = reverse("teams:create", args=[world["village"].pk])
    teams = Team.objects.count()
    response = officer.post(url, {**TEAM_OK, "name": name})
    if response.status_code == 302:
        assert Team.objects.count() == teams + 1
        assert "\x00" not in Team.objects.latest("pk").name
    else:
        assert response.status_code == 200
        assert 'class="error"' in response.content.decode()
        assert Team.objects.count() == teams


# --- members ----------------------------------------------------------------------------------------

MEMBER_OK = {
    "display_name": "Lê Văn Cường", "role": "member", "affiliation": "police", "joined_on": "05/02/2026", "username": "",
}
MEMBER_CASES = [
    ({"display_name": ""}, "Cần nhập họ tên thành viên."),
    ({"display_name": " \n "}, "Cần nhập họ tên thành viên."),
    ({"display_name": LONG}, "Họ tên quá dài."),
    ({"display_name": NUL}, NUL_MESSAGE),
    ({"role": "boss"}, CHOICE_MESSAGE),
    ({"role": ""}, REQUIRED_MESSAGE),
    ({"role": "member\x00"}, CHOICE_MESSAGE),
    ({"affiliation": "<script>"}, CHOICE_MESSAGE),
    ({"affiliation": LONG}, CHOICE_MESSAGE),
    ({"joined_on": ""}, "Cần nhập ngày tham gia."),
    *[({"joined_on": value}, DATE_MESSAGE) for value in BAD_DATES],
    ({"joined_on": tomorrow()}, "Ngày tham gia không được ở tương lai."),
    ({"username": LONG}, "Tên đăng nhập quá dài."),
    ({"username": "ai\x00do"}, NUL_MESSAGE),
    ({"username": "khong-co-ai"}, "Không tìm thấy tài khoản này trong phạm vi của bạn."),
]


@pytest.mark.parametrize(("change", "expected"), MEMBER_CASES, ids=_ids(MEMBER_CASES))
def test_member_add_refuses(officer, world, change, expected):
    url = reverse("teams:member_add", args=[world["team"].pk])
    assert_refused(officer, url, {**MEMBER_OK, **change}, expected)


def test_member_add_refuses_an_account_out_of_scope(officer, world):
    url = reverse("teams:member_add", args=[world["team"].pk])
    data = {**MEMBER_OK, "username": world["officer_elsewhere"].username}
    assert_refused(officer, url, data, "Không tìm thấy tài khoản này trong phạm vi của bạn.")


def test_member_add_refuses_a_person_already_on_the_team(officer, world, make):
    colleague = make.user(Role.MEMBER, world["village"])
    make.member(world["team"], user=colleague)
    url = reverse("teams:member_add", args=[world["team"].pk])
    assert_refused(officer, url, {**MEMBER_OK, "username": colleague.username}, "Người này đã là thành viên của tổ.")


@HYPOTHESIS
@given(name=st.text(max_size=200), role=st.text(max_size=20))
def test_any_member_name_and_role_is_saved_or_refused_never_a_500(officer, world, name, role):
    url = reverse("teams:member_add", args=[world["team"].pk])
    members = Membership.objects.count()
    response = officer.post(url, {**MEMBER_OK, "display_name": name, "role": role})
    assert response.status_code in (200, 302)
    assert Membership.objects.count() == members + (response.status_code == 302)


END_CASES = [
    ({"left_on": ""}, "Cần nhập ngày rời tổ."),
    *[({"left_on": value}, DATE_MESSAGE) for value in BAD_DATES],
    ({"left_on": tomorrow()}, "Ngày rời tổ không được ở tương lai."),
    ({"left_on": "01/01/2020"}, "Ngày rời tổ không được trước ngày tham gia."),
]


@pytest.mark.parametrize(("data", "expected"), END_CASES, ids=_ids(END_CASES))
def test_member_end_refuses(officer, world, data, expected):
    url = reverse("teams:member_end", args=[world["member"].pk])
    assert_refused(officer, url, data, expected)


def test_member_end_refuses_a_member_who_already_left(officer, world, make):
    former = make.member(world["team"])
    former.left_on = dt.date(2026, 2, 1)
    former.save(update_fields=["left_on"])
    url = reverse("teams:member_end", args=[former.pk])
    assert_refused(officer, url, {"left_on": "01/03/2026"}, "Thành viên này đã rời tổ.")


def test_member_end_of_a_member_out_of_scope_is_404(officer, world):
    before = database_state()
    response = officer.post(reverse("teams:member_end", args=[world["outsider"].pk]), {"left_on": "01/03/2026"})
    assert response.status_code == 404
    assert database_state() == before


# --- trainings and attendance -----------------------------------------------------------------------

TRAINING_OK = {"title": "Hướng dẫn cài VNeID", "held_on": "10/03/2026", "location": "Nhà văn hóa thôn"}
TRAINING_CASES = [
    ({"title": ""}, "Cần nhập nội dung tập huấn."),
    ({"title": "\u00a0 \u3000"}, "Cần nhập nội dung tập huấn."),
    ({"title": LONG}, "Nội dung quá dài."),
    ({"title": NUL}, NUL_MESSAGE),
    ({"held_on": ""}, "Cần nhập ngày tập huấn."),
    *[({"held_on": value}, DATE_MESSAGE) for value in BAD_DATES],
    ({"held_on": tomorrow()}, "Ngày tập huấn không được ở tương lai."),
    ({"location": LONG}, "Địa điểm quá dài."),
    ({"location": "Nhà\x00văn hóa"}, NUL_MESSAGE),
]


@pytest.mark.parametrize(("change", "expected"), TRAINING_CASES, ids=_ids(TRAINING_CASES))
def test_training_create_refuses(officer, world, change, expected):
    url = reverse("teams:trainings", args=[world["commune"].pk])
    assert_refused(officer, url, {**TRAINING_OK, **change}, expected)


@HYPOTHESIS
@given(title=st.text(max_size=300), location=st.text(max_size=300))
def test_any_training_title_is_saved_or_refused_never_a_500(officer, world, title, location):
    url = reverse("teams:trainings", args=[world["commune"].pk])
    trainings = Training.objects.count()
    response = officer.post(url, {**TRAINING_OK, "title": title, "location": location})
    assert response.status_code in (200, 302)
    assert Training.objects.count() == trainings + (response.status_code == 302)


@pytest.fixture
def training(world, make):
    from congdongso.teams.services import attendance_set, training_create

    training = training_create(unit=world["commune"], title="Buổi một", held_on=dt.date(2026, 3, 1), actor_id=None)
    attendance_set(training=training, memberships=[world["member"]], actor_id=None)
    return training


ATTENDANCE_ERROR = "Danh sách tham dự có lựa chọn không hợp lệ."


@pytest.mark.parametrize(
    "values",
    [["abc"], [""], ["-1"], ["1.0"], ["²"], ["\x00"], ["9" * 40], ["<script>"], ["{member}", "abc"], ["{outsider}"],
     ["{member}", "{outsider}"]],
    ids=["word", "empty", "negative", "decimal", "superscript", "nul", "huge", "markup", "mixed", "outsider",
         "member-and-outsider"],
)
def test_attendance_refuses_ids_that_are_not_listed_members(officer, world, training, values):
    values = [v.format(member=world["member"].pk, outsider=world["outsider"].pk) for v in values]
    url = reverse("teams:training", args=[training.pk])
    text = assert_refused(officer, url, {"membership": values}, ATTENDANCE_ERROR)
    assert world["outsider"].display_name not in text
    assert list(Attendance.objects.filter(training=training).values_list("membership_id", flat=True)) == [
        world["member"].pk
    ]


def test_attendance_with_listed_members_is_saved(officer, world, training, make):
    second = make.member(world["team"])
    url = reverse("teams:training", args=[training.pk])
    response = officer.post(url, {"membership": [str(second.pk), str(second.pk)]})
    assert response.status_code == 302
    assert set(Attendance.objects.filter(training=training).values_list("membership_id", flat=True)) == {second.pk}


def test_team_search_with_a_nul_byte_or_a_huge_query_is_not_an_error(officer, world):
    assert officer.get(reverse("teams:list"), {"q": "Thôn\x00Đông"}).status_code == 200
    response = officer.get(reverse("teams:list"), {"q": LONG})
    assert response.status_code == 200
    assert "Không có tổ nào khớp với từ khóa." in page_text(response)
