"""Name search ignores diacritics, case and Unicode form, and reaches residents' names too."""

import unicodedata

import pytest
from django.urls import reverse

from congdongso.households import selectors
from congdongso.households.services import household_create
from congdongso.households.tests.conftest import consented_household
from congdongso.testing.forms import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(world):
    return {
        "a": consented_household(world["village_a"], head_name="Nguyễn Văn A", residents=("Nguyễn Văn A", "Đặng Thị Đào")),
        "an": consented_household(world["village_a"], head_name="Nguyễn Văn An", tags=("business",)),
        "b": consented_household(world["village_a2"], head_name="Trần Thị Bích", residents=("Trần Thị Bích",)),
        "counts_only": household_create(village=world["village_a"], tags=("elderly",), resident_count=2, actor_id=None),
    }


def _ids(households) -> set:
    return {h.pk for h in households}


@pytest.mark.parametrize(
    "query", ["nguyen van a", "Nguyễn Văn A", "NGUYEN VAN A", "  nguyen   van  a ", unicodedata.normalize("NFD", "Nguyễn Văn A")]
)
def test_any_spelling_of_a_name_finds_the_household(world, found, query):
    result = _ids(selectors.households_search(world["officer_a"], query=query))
    assert result == {found["a"].pk, found["an"].pk}  # "nguyen van a" is also the start of "nguyen van an"


def test_a_residents_name_finds_their_household_and_d_stroke_folds(world, found):
    assert _ids(selectors.households_search(world["officer_a"], query="dang thi dao")) == {found["a"].pk}
    assert _ids(selectors.households_search(world["officer_a"], query="Đào")) == {found["a"].pk}


def test_no_match_counts_only_households_and_garbage(world, found):
    user = world["officer_a"]
    assert not selectors.households_search(user, query="pham").exists()
    assert not selectors.households_search(user, query="\x00%_'").exists()
    assert _ids(selectors.households_search(user, query="")) == _ids(found.values())


def test_filters_by_village_and_tag(world, found):
    user = world["officer_a"]
    assert _ids(selectors.households_search(user, village_id=world["village_a2"].pk)) == {found["b"].pk}
    assert _ids(selectors.households_search(user, tag="business")) == {found["an"].pk}
    assert _ids(selectors.households_search(user, tag="elderly", village_id=world["village_a"].pk)) == {found["counts_only"].pk}
    assert _ids(selectors.households_search(user, tag="no-such-tag")) == _ids(found.values())


def test_the_list_page_and_the_api_search_the_same_way(client, world, found):
    client.force_login(world["officer_a"])
    text = page_text(client.get(reverse("households:list"), {"q": "tran thi bich"}))
    assert "Trần Thị Bích" in text and "Nguyễn Văn An" not in text
    assert "Không có hộ nào khớp với tìm kiếm." in page_text(client.get(reverse("households:list"), {"q": "zzz"}))
    rows = client.get("/api/v1/households/", {"q": "nguyen van an"}).json()
    assert [row["head_name"] for row in rows] == ["Nguyễn Văn An"]
    rows = client.get("/api/v1/households/", {"tag": "elderly"}).json()
    assert [row["id"] for row in rows] == [str(found["counts_only"].pk)]


def test_the_list_is_paginated_with_an_empty_state(client, world, make):
    client.force_login(world["officer_b"])
    assert "Chưa có hộ nào trong phạm vi của bạn" in page_text(client.get(reverse("households:list")))
    for _ in range(30):
        household_create(village=world["village_b"], resident_count=1, actor_id=None)
    first = page_text(client.get(reverse("households:list")))
    assert first.count('class="title"') == selectors.PAGE_SIZE and "Trang 1/2" in first
    second = page_text(client.get(reverse("households:list"), {"page": "2"}))
    assert second.count('class="title"') == 30 - selectors.PAGE_SIZE
    assert client.get(reverse("households:list"), {"page": "x" * 500, "village": "9" * 40}).status_code == 200
