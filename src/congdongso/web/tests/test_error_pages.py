import pytest

from congdongso.accounts.models import Role
from congdongso.testing.factories import PASSWORD


@pytest.mark.django_db
def test_out_of_scope_and_denied_pages_answer_in_vietnamese(client, make, settings):
    settings.DEBUG = False
    province = make.province()
    a, b = make.commune(province), make.commune(province)
    village = make.village(a)
    member = make.user(Role.MEMBER, village)
    client.login(username=member.username, password=PASSWORD)

    missing = client.get(f"/units/{b.pk}/")
    assert missing.status_code == 404
    assert "Không tìm thấy trang này" in missing.content.decode()

    # In scope but beyond a member's role: refused, in Vietnamese.
    denied = client.get(f"/teams/new/{village.pk}/")
    assert denied.status_code == 403
    assert "Bạn không có quyền" in denied.content.decode()
