"""The commune officer's "who looked at our households" page: their communes' accesses only,
paginated; anyone without a managing role gets 404, as for anything outside their scope."""

import uuid

import pytest
from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.audit.models import AccessChannel, AccessLog
from congdongso.audit.views import PAGE_SIZE


def _access(actor, village, *, household_id=None, what="household.detail") -> AccessLog:
    return AccessLog.objects.create(
        actor=actor, channel=AccessChannel.PAGE, what=what, unit_id=village.pk,
        household_id=household_id or uuid.uuid4(), households=1, people=3,
    )


@pytest.mark.django_db
def test_an_officer_sees_accesses_to_their_communes_households_only(client, login, two_communes, make):
    looker = make.user(Role.MEMBER, two_communes["village_a"])
    mine = _access(looker, two_communes["village_a"])
    theirs = _access(looker, two_communes["village_b"])
    login(client, two_communes["officer_a"])
    response = client.get(reverse("audit:accesses"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-access="{mine.pk}"' in body and f'data-access="{theirs.pk}"' not in body
    assert str(looker) in body and "Thôn Đông" in body
    assert str(mine.household_id)[-6:].upper() in body


@pytest.mark.django_db
def test_a_province_officer_can_narrow_to_a_commune_but_not_outside_their_province(client, login, two_communes, make):
    a = _access(None, two_communes["village_a"])
    b = _access(None, two_communes["village_b"])
    officer = make.user(Role.PROVINCE_OFFICER, two_communes["province"])
    login(client, officer)
    body = client.get(reverse("audit:accesses"), {"unit": two_communes["a"].pk}).content.decode()
    assert f'data-access="{a.pk}"' in body and f'data-access="{b.pk}"' not in body
    elsewhere = make.commune()
    assert client.get(reverse("audit:accesses"), {"unit": elsewhere.pk}).status_code == 404


@pytest.mark.django_db
def test_the_list_is_paginated_newest_first(client, login, two_communes):
    rows = [_access(None, two_communes["village_a"]) for _ in range(PAGE_SIZE + 3)]
    login(client, two_communes["officer_a"])
    first = client.get(reverse("audit:accesses")).content.decode()
    assert f'data-access="{rows[-1].pk}"' in first and f'data-access="{rows[0].pk}"' not in first
    second = client.get(reverse("audit:accesses"), {"page": 2}).content.decode()
    assert f'data-access="{rows[0].pk}"' in second


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MEMBER, Role.TEAM_LEADER])
def test_members_and_team_leaders_cannot_open_the_pages(client, login, two_communes, make, role):
    login(client, make.user(role, two_communes["village_a"]))
    assert client.get(reverse("audit:accesses")).status_code == 404
    assert client.get(reverse("audit:volumes")).status_code == 404


@pytest.mark.django_db
def test_a_commune_officer_cannot_open_the_province_volumes(client, login, two_communes):
    login(client, two_communes["officer_a"])
    assert client.get(reverse("audit:volumes")).status_code == 404
