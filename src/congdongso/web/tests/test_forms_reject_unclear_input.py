"""Deliberately unclear input in every form gets a Vietnamese error message, never a 500.

Team, member and training forms: teams/tests/test_team_forms.py. Here: villages (one by one and
from a file), unit merge and rename, and the login form. Each refused post must re-render the form
(200), name the problem in Vietnamese, and leave every project table exactly as it was.
"""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from congdongso.accounts.models import Role
from congdongso.geo.models import Level, Unit
from congdongso.testing.factories import PASSWORD
from congdongso.testing.forms import BAD_DATES, LONG, NUL, SCRIPT, assert_refused, database_state, tomorrow

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Có ký tự không hợp lệ (ký tự NUL)."
DATE_MESSAGE = "Ngày không hợp lệ (dd/mm/yyyy)."
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Login throttling counts failures in the cache; every test starts from none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(make):
    province = make.province(name="Tỉnh Hòa Bình Thử")
    commune = make.commune(province, name="Xã An Bình")
    neighbour = make.commune(province, name="Xã Bình Minh")
    make.village(commune, name="Thôn Đông")
    far_commune = make.commune(make.province(), name="Xã Xa Xôi")
    return {
        "province": province, "commune": commune, "neighbour": neighbour, "far_commune": far_commune,
        "officer": make.user(Role.COMMUNE_OFFICER, commune),
        "province_officer": make.user(Role.PROVINCE_OFFICER, province),
    }


@pytest.fixture
def officer(client, world):
    client.force_login(world["officer"])
    return client


@pytest.fixture
def province_officer(client, world):
    client.force_login(world["province_officer"])
    return client


def _ids(cases):
    return [f"{next(iter(data))}={next(iter(data.values()))!r:.24}" for data, _ in cases]


# --- one village --------------------------------------------------------------------------------------

VILLAGE_OK = {"name": "Thôn Tây", "kind": "thon", "code": ""}
VILLAGE_CASES = [
    ({"name": ""}, "Tên thôn/tổ dân phố không được để trống."),
    ({"name": "  \t\n "}, "Tên thôn/tổ dân phố không được để trống."),
    ({"name": LONG}, "Tên quá dài."),
    ({"name": NUL}, NUL_MESSAGE),
    ({"name": "thôn   ĐÔNG"}, "Xã/phường này đã có thôn/tổ dân phố cùng tên."),
    ({"kind": "castle"}, "Loại thôn/tổ dân phố không hợp lệ."),
    ({"kind": ""}, "Trường này không được để trống."),
    ({"kind": "thon\x00"}, "Loại thôn/tổ dân phố không hợp lệ."),
    ({"code": "mã có dấu"}, "Mã chỉ gồm chữ cái không dấu"),
    ({"code": SCRIPT}, "Mã chỉ gồm chữ cái không dấu"),
    ({"code": LONG}, "Mã tối đa 32 ký tự."),
    ({"code": "T\x001"}, NUL_MESSAGE),
]


@pytest.mark.parametrize(("change", "expected"), VILLAGE_CASES, ids=_ids(VILLAGE_CASES))
def test_village_create_refuses(officer, world, change, expected):
    url = reverse("web:village_create", args=[world["commune"].pk])
    assert_refused(officer, url, {**VILLAGE_OK, **change}, expected)


def test_village_create_refuses_a_code_already_used(officer, world, make):
    used = make.village(world["neighbour"]).code
    url = reverse("web:village_create", args=[world["commune"].pk])
    assert_refused(officer, url, {**VILLAGE_OK, "code": used}, "Mã này đã được dùng")


@HYPOTHESIS
@given(name=st.text(max_size=300), code=st.text(max_size=40))
def test_any_village_name_and_code_is_saved_or_refused_never_a_500(officer, world, name, code):
    url = reverse("web:village_create", args=[world["commune"].pk])
    villages = Unit.objects.filter(level=Level.VILLAGE).count()
    response = officer.post(url, {**VILLAGE_OK, "name": name, "code": code})
    assert response.status_code in (200, 302)
    assert Unit.objects.filter(level=Level.VILLAGE).count() == villages + (response.status_code == 302)
    assert not any("\x00" in name for name in Unit.objects.values_list("name", flat=True))


# --- villages from a file -----------------------------------------------------------------------------


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _csv(world, *rows: str, header: str = "ma_xa,ten,loai") -> bytes:
    return "\n".join([header, *rows]).replace("{code}", world["commune"].code).encode()


def _xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_that_is_not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    return buffer.getvalue()


FILE_CASES = [
    (lambda w: None, "Cần chọn một tệp."),
    (lambda w: _upload("thon.csv", b""), "Tệp trống."),
    (lambda w: _upload("virus.exe", b"MZ\x90\x00\x03" + bytes(range(256))), "Chỉ nhận tệp .csv hoặc .xlsx."),
    (lambda w: _upload("thon.csv.exe", _csv(w, "{code},Thôn Mới")), "Chỉ nhận tệp .csv hoặc .xlsx."),
    (lambda w: _upload("khong-duoi", _csv(w, "{code},Thôn Mới")), "Chỉ nhận tệp .csv hoặc .xlsx."),
    (lambda w: _upload("a" * 10_000 + ".exe", b"MZ"), "Chỉ nhận tệp .csv hoặc .xlsx."),
    (lambda w: _upload("rac.xlsx", bytes(range(256)) * 40), "Không đọc được tệp Excel (.xlsx)."),
    (lambda w: _upload("rac.xlsx", _zip_that_is_not_a_workbook()), "Không đọc được tệp"),
    (lambda w: _upload("rac.csv", b"\xff\xfe\x00\xd8garbage\x81\x82"), "Tệp CSV phải được lưu với mã hóa UTF-8."),
    (lambda w: _upload("utf16.csv", "ma_xa,ten\n1,Thôn\n".encode("utf-16")), "Tệp CSV phải được lưu với mã hóa UTF-8."),
    (lambda w: _upload("nul.csv", _csv(w, "{code},Thôn\x00Mới")), "Dòng 2 có ký tự không hợp lệ (ký tự NUL)."),
    (
        lambda w: _upload("o-to.csv", _csv(w, '{code},"' + "a" * 200_000 + '"')),
        ("Không đọc được tệp CSV", "Tệp CSV sai định dạng"),
    ),
    (lambda w: _upload("ten-dai.csv", _csv(w, "{code}," + "Thôn " * 100)), "tên quá dài (tối đa 200 ký tự)"),
    (lambda w: _upload("thieu-cot.csv", b"cot_a,cot_b\n1,2\n"), "Thiếu cột bắt buộc"),
    (lambda w: _upload("chi-tieu-de.csv", _csv(w)), "tệp không có dòng dữ liệu nào"),
    (lambda w: _upload("trong.csv", _csv(w, "{code},   ", ",Thôn Mới")), "tên thôn/tổ dân phố để trống"),
    (lambda w: _upload("loai.csv", _csv(w, "{code},Thôn Mới,lâu đài")), "không hợp lệ (thôn, ấp, bản"),
    (lambda w: _upload("ma-xa.csv", _csv(w, "99999,Thôn Mới")), "không có xã/phường đang hoạt động"),
    (lambda w: _upload("xa-khac.csv", _csv(w, f"{w['neighbour'].code},Thôn Mới")), "không thuộc phạm vi của bạn"),
    (lambda w: _upload("trung.csv", _csv(w, "{code},Thôn Mới", "{code},thôn mới")), "trùng với dòng 2"),
    (lambda w: _upload("co-roi.csv", _csv(w, "{code},THÔN ĐÔNG")), "đã có trong xã/phường này"),
    (lambda w: _upload("script.csv", _csv(w, "{code},Thôn Mới,<script>")), "không hợp lệ (thôn, ấp, bản"),
    (lambda w: _upload("lon.csv", b"ma_xa,ten\n" + b"1,a\n" * 1_400_000), "Tệp quá lớn (tối đa 5 MB)."),
    (lambda w: _upload("bang.xlsx", _xlsx(["ma_xa", "ten"], [w["commune"].code, "x" * 300])), "tên quá dài"),
    (lambda w: _upload("bang.xlsx", _xlsx(["cot", "khac"], [1, 2])), "Thiếu cột bắt buộc"),
]
FILE_IDS = [
    "no-file", "empty", "exe", "double-extension", "no-extension", "huge-filename", "binary-as-xlsx",
    "zip-not-workbook", "not-utf8", "utf16", "nul-in-cell", "giant-cell", "long-name", "missing-columns",
    "header-only", "blank-name", "bad-kind", "unknown-commune", "commune-out-of-scope", "duplicate-rows",
    "existing-village", "markup-kind", "over-5mb", "xlsx-long-name", "xlsx-missing-columns",
]


@pytest.mark.parametrize(("make_file", "expected"), FILE_CASES, ids=FILE_IDS)
def test_village_import_refuses(officer, world, make_file, expected):
    upload = make_file(world)
    data = {} if upload is None else {"file": upload}
    assert_refused(officer, reverse("web:village_import", args=[world["commune"].pk]), data, expected)


def test_village_import_refuses_a_field_posted_as_text_instead_of_a_file(officer, world):
    url = reverse("web:village_import", args=[world["commune"].pk])
    assert_refused(officer, url, {"file": "ma_xa,ten\n1,Thôn"}, "Cần chọn một tệp.")


def test_village_import_echoes_markup_from_the_file_escaped(officer, world):
    url = reverse("web:village_import", args=[world["commune"].pk])
    upload = _upload("x.csv", _csv(world, "{code},Thôn Mới,<script>alert(1)</script>"))
    response = officer.post(url, {"file": upload})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_a_clean_file_still_imports(officer, world):
    url = reverse("web:village_import", args=[world["commune"].pk])
    upload = _upload("thon.csv", _csv(world, "{code},Thôn Mới,thôn", "{code},Tổ dân phố 3,tổ dân phố"))
    response = officer.post(url, {"file": upload})
    assert response.status_code == 302
    assert set(world["commune"].children.values_list("name", flat=True)) == {"Thôn Đông", "Thôn Mới", "Tổ dân phố 3"}


# --- merge and rename (a province officer) ------------------------------------------------------------


def _merge_cases(world):
    target, neighbour = world["commune"], world["neighbour"]
    ok = {"sources": [str(neighbour.pk)], "effective_date": "01/07/2026"}
    return [
        ({**ok, "sources": []}, "Cần chọn ít nhất một đơn vị."),
        ({**ok, "sources": ["abc"]}, "Lựa chọn không hợp lệ."),
        ({**ok, "sources": ["-1"]}, "Lựa chọn không hợp lệ."),
        ({**ok, "sources": [f"{neighbour.pk}\x00"]}, "Lựa chọn không hợp lệ."),
        ({**ok, "sources": ["9" * 40]}, "Lựa chọn không hợp lệ."),
        ({**ok, "sources": [str(target.pk)]}, "Lựa chọn không hợp lệ."),
        ({**ok, "sources": [str(world["province"].pk)]}, "Lựa chọn không hợp lệ."),
        ({**ok, "sources": [str(world["far_commune"].pk)]}, "Lựa chọn không hợp lệ."),
        ({**ok, "effective_date": ""}, "Cần nhập ngày hiệu lực."),
        *[({**ok, "effective_date": value}, DATE_MESSAGE) for value in BAD_DATES],
        ({**ok, "effective_date": tomorrow()}, "Ngày hiệu lực không được ở tương lai."),
    ]


MERGE_CASE_COUNT = 10 + len(BAD_DATES)


@pytest.mark.parametrize("case", range(MERGE_CASE_COUNT))
def test_unit_merge_refuses(province_officer, world, case):
    data, expected = _merge_cases(world)[case]
    assert_refused(province_officer, reverse("web:unit_merge", args=[world["commune"].pk]), data, expected)


def test_merge_case_list_is_complete(world):
    assert len(_merge_cases(world)) == MERGE_CASE_COUNT


def test_a_commune_officer_may_not_merge_or_rename(officer, world):
    before = database_state()
    merge = officer.post(
        reverse("web:unit_merge", args=[world["commune"].pk]),
        {"sources": [str(world["neighbour"].pk)], "effective_date": "01/07/2026"},
    )
    rename = officer.post(
        reverse("web:unit_rename", args=[world["commune"].pk]), {"new_name": "Xã Mới", "effective_date": "01/07/2026"}
    )
    assert (merge.status_code, rename.status_code) == (403, 403)
    assert database_state() == before


RENAME_OK = {"new_name": "Xã An Bình Mới", "effective_date": "01/07/2026"}
RENAME_CASES = [
    ({"new_name": ""}, "Tên mới không được để trống."),
    ({"new_name": " \u3000 "}, "Tên mới không được để trống."),
    ({"new_name": LONG}, "Tên quá dài."),
    ({"new_name": NUL}, NUL_MESSAGE),
    ({"new_name": "Xã  An   Bình"}, "Tên mới trùng với tên hiện tại."),
    ({"effective_date": ""}, "Cần nhập ngày hiệu lực."),
    *[({"effective_date": value}, DATE_MESSAGE) for value in BAD_DATES],
    ({"effective_date": tomorrow()}, "Ngày hiệu lực không được ở tương lai."),
]


@pytest.mark.parametrize(("change", "expected"), RENAME_CASES, ids=_ids(RENAME_CASES))
def test_unit_rename_refuses(province_officer, world, change, expected):
    url = reverse("web:unit_rename", args=[world["commune"].pk])
    assert_refused(province_officer, url, {**RENAME_OK, **change}, expected)


@HYPOTHESIS
@given(name=st.text(max_size=250))
def test_any_new_name_is_saved_or_refused_never_a_500(province_officer, world, name):
    response = province_officer.post(
        reverse("web:unit_rename", args=[world["commune"].pk]), {**RENAME_OK, "new_name": name}
    )
    assert response.status_code in (200, 302)
    assert "\x00" not in Unit.objects.get(pk=world["commune"].pk).name


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("village_create", "Tên thôn/tổ dân phố không được để trống."),
        ("village_import", "Cần chọn một tệp."),
        ("unit_merge", "Cần chọn ít nhất một đơn vị."),
        ("unit_rename", "Tên mới không được để trống."),
        ("login", "Trường này không được để trống."),
    ],
)
def test_an_empty_post_is_refused_not_shown_as_a_blank_form(client, world, page, expected):
    if page == "login":
        url = reverse("accounts:login")
    else:
        client.force_login(world["officer" if page.startswith("village") else "province_officer"])
        url = reverse(f"web:{page}", args=[world["commune"].pk])
    assert_refused(client, url, {}, expected)


# --- login ----------------------------------------------------------------------------------------------

LOGIN_CASES = [
    ({"username": "", "password": ""}, "Trường này không được để trống."),
    ({"username": "   ", "password": "   "}, "Trường này không được để trống."),
    ({"username": "{user}", "password": "sai-mat-khau"}, "Tên đăng nhập hoặc mật khẩu không đúng."),
    ({"username": "{user}", "password": ""}, "Trường này không được để trống."),
    ({"username": LONG, "password": PASSWORD}, "Tên đăng nhập hoặc mật khẩu không đúng."),
    ({"username": "{user}\x00", "password": PASSWORD}, NUL_MESSAGE),
    ({"username": SCRIPT, "password": SCRIPT}, "Tên đăng nhập hoặc mật khẩu không đúng."),
    ({"username": "{user}", "password": LONG}, "Tên đăng nhập hoặc mật khẩu không đúng."),
]


@pytest.mark.parametrize(("data", "expected"), LOGIN_CASES, ids=_ids(LOGIN_CASES))
def test_login_refuses(client, world, data, expected):
    data = {key: value.replace("{user}", world["officer"].username) for key, value in data.items()}
    text = assert_refused(client, reverse("accounts:login"), data, expected)
    assert '<html lang="vi"' in text
    assert "_auth_user_id" not in client.session


@HYPOTHESIS
@given(username=st.text(max_size=200), password=st.text(max_size=200))
def test_any_login_input_is_refused_never_a_500(client, world, username, password):
    cache.clear()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
