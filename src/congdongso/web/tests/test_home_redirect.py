import pytest

from congdongso.accounts.models import Role
from congdongso.testing.factories import PASSWORD


@pytest.mark.django_db
def test_members_start_on_their_worklist_and_officers_on_their_unit(client, make):
    commune = make.commune()
    village = make.village(commune)
    member = make.user(Role.MEMBER, village)
    officer = make.user(Role.COMMUNE_OFFICER, commune)

    client.login(username=member.username, password=PASSWORD)
    assert client.get("/")["Location"] == "/outreach/"

    client.login(username=officer.username, password=PASSWORD)
    assert client.get("/")["Location"] == f"/units/{commune.pk}/"
