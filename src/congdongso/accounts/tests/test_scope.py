import pytest

from congdongso.accounts.models import Role, User
from congdongso.accounts.services import role_assign
from congdongso.accounts.selectors import scope_of, top_units, units_in_scope, users_in_scope
from congdongso.geo.models import Unit


@pytest.mark.django_db
def test_scope_is_the_union_of_assigned_subtrees(make):
    province = make.province()
    a, b, c = make.commune(province), make.commune(province), make.commune(province)
    village_a, village_b, village_c = make.village(a), make.village(b), make.village(c)
    user = make.user(Role.COMMUNE_OFFICER, a)
    role_assign(user=user, role=Role.MEMBER, unit=village_b, actor_id=None)

    visible = set(units_in_scope(user))
    assert visible == {a, village_a, village_b}
    assert village_c not in visible and province not in visible
    assert scope_of(user).contains(village_a) and not scope_of(user).contains(c)
    # Management follows the manager role only: a member role on village_b manages nothing.
    assert scope_of(user).manages(village_a) and not scope_of(user).manages(village_b)
    assert set(top_units(user)) == {a, village_b}


@pytest.mark.django_db
def test_national_admin_sees_everything_and_nobody_sees_without_a_role(make):
    province = make.province()
    commune = make.commune(province)
    admin = make.user(Role.NATIONAL_ADMIN)
    assert units_in_scope(admin).count() == Unit.objects.count()
    assert scope_of(admin).administers_units(commune)

    nobody = User.objects.create_user(username="khong-vai-tro", password="x-very-long-password")
    assert units_in_scope(nobody).count() == 0
    assert top_units(nobody) == []


@pytest.mark.django_db
def test_province_officer_administers_units_but_commune_officer_does_not(make):
    province = make.province()
    commune = make.commune(province)
    assert scope_of(make.user(Role.PROVINCE_OFFICER, province)).administers_units(commune)
    assert not scope_of(make.user(Role.COMMUNE_OFFICER, commune)).administers_units(commune)


@pytest.mark.django_db
def test_users_in_scope_lists_only_users_with_roles_inside(make):
    province = make.province()
    a, b = make.commune(province), make.commune(province)
    officer_a = make.user(Role.COMMUNE_OFFICER, a)
    member_a = make.user(Role.MEMBER, make.village(a))
    make.user(Role.MEMBER, make.village(b))
    assert set(users_in_scope(officer_a)) == {officer_a, member_a}
