import pytest
from django.contrib import admin

from congdongso.accounts.models import Role
from congdongso.geo.models import Unit
from congdongso.testing.factories import PASSWORD


@pytest.mark.django_db
def test_every_admin_changelist_opens_for_a_national_admin(client, make):
    make.team(make.village())
    user = make.user(Role.NATIONAL_ADMIN)
    client.login(username=user.username, password=PASSWORD)
    for model in admin.site._registry:
        if not model.__module__.startswith("congdongso."):
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_units_cannot_be_added_or_edited_in_the_admin(client, make):
    village = make.village()
    user = make.user(Role.NATIONAL_ADMIN)
    client.login(username=user.username, password=PASSWORD)
    assert client.get("/admin/geo/unit/add/").status_code == 403
    client.post(f"/admin/geo/unit/{village.pk}/change/", {"name": "Đổi tên lén"})
    assert Unit.objects.get(pk=village.pk).name == village.name
