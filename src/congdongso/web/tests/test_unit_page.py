import re

import pytest

from congdongso.accounts.models import Role
from congdongso.testing.factories import PASSWORD


def _cell(html: str, unit_id: int) -> str:
    match = re.search(rf'data-child-coverage="{unit_id}">([^<]*)<', html)
    assert match, f"no coverage cell for unit {unit_id}"
    return match.group(1).strip()


@pytest.mark.django_db
def test_province_page_lists_communes_with_their_coverage(client, make):
    province = make.province()
    a, b = make.commune(province), make.commune(province)
    make.member(make.team(make.village(a)))
    make.village(a)
    make.village(b)
    officer = make.user(Role.PROVINCE_OFFICER, province)
    client.login(username=officer.username, password=PASSWORD)

    html = client.get(f"/units/{province.pk}/").content.decode()
    assert _cell(html, a.pk) == "1/2 (50,0%)"
    assert _cell(html, b.pk) == "0/1 (0,0%)"


@pytest.mark.django_db
def test_commune_page_says_which_villages_have_a_team(client, make):
    commune = make.commune()
    with_team, without = make.village(commune), make.village(commune)
    make.team(with_team)
    officer = make.user(Role.COMMUNE_OFFICER, commune)
    client.login(username=officer.username, password=PASSWORD)

    html = client.get(f"/units/{commune.pk}/").content.decode()
    assert _cell(html, with_team.pk) == "Có"
    assert _cell(html, without.pk) == "Chưa"
    assert client.get(f"/units/{commune.parent_id}/").status_code == 404


@pytest.mark.django_db
def test_unit_pages_link_to_household_import_and_the_village_worklist(client, make):
    commune = make.commune()
    village = make.village(commune)
    officer = make.user(Role.COMMUNE_OFFICER, commune)
    client.login(username=officer.username, password=PASSWORD)

    commune_page = client.get(f"/units/{commune.pk}/").content.decode()
    assert f"/households/imports/unit/{commune.pk}/" in commune_page
    village_page = client.get(f"/units/{village.pk}/").content.decode()
    assert f"/outreach/?village={village.pk}" in village_page
    assert client.get(f"/households/imports/unit/{village.pk}/").status_code == 200
