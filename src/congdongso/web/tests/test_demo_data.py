import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from congdongso.accounts.models import Role, RoleAssignment, User
from congdongso.audit.models import AuditEvent
from congdongso.geo.models import Kind, Level, Unit
from congdongso.geo.naming import village_search_name
from congdongso.geo.services import unit_create
from congdongso.teams.models import Attendance, Membership, Team, Training
from congdongso.teams.selectors import coverage
from congdongso.web import demo


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def fake_province(db, make):
    """A small province: a ward and three communes (the demo takes the first 15 by code)."""
    province = make.province(name="Tỉnh Thử Nghiệm")
    unit_create(level=Level.COMMUNE, kind=Kind.WARD, code="A0001", name="Phường Một", parent=province, actor_id=None)
    for n, name in enumerate(["Xã Hai", "Xã Ba", "Xã Bốn"], start=2):
        unit_create(level=Level.COMMUNE, kind=Kind.COMMUNE, code=f"A000{n}", name=name, parent=province, actor_id=None)
    return province


def _snapshot(province: Unit) -> dict:
    """What a demo is made of, by names (not ids), so two builds can be compared."""
    return {
        "villages": sorted(
            Unit.objects.filter(path__prefix=province.path, level=Level.VILLAGE).values_list(
                "parent__code", "name", "kind", "code"
            )
        ),
        "teams": sorted(
            Team.objects.filter(unit__path__prefix=province.path).values_list(
                "unit__name", "name", "is_active", "zalo_link", "decision_number", "decision_date"
            )
        ),
        "members": sorted(
            Membership.objects.filter(team__unit__path__prefix=province.path).values_list(
                "team__name", "display_name", "role", "affiliation", "joined_on", "left_on"
            )
        ),
        "trainings": sorted(
            (t.title, t.held_on, t.attendances.count())
            for t in Training.objects.filter(unit__path__prefix=province.path)
        ),
        "users": sorted(User.objects.values_list("username", "display_name")),
    }


class _Rollback(Exception):
    pass


def _build_and_roll_back(province: Unit, *args: str) -> dict:
    try:
        with transaction.atomic():
            _run("--province", province.code, *args)
            snapshot = _snapshot(province)
            raise _Rollback
    except _Rollback:
        pass
    assert not Unit.objects.filter(level=Level.VILLAGE).exists()
    return snapshot


@pytest.mark.django_db
def test_same_seed_builds_the_same_demo_and_another_seed_a_different_one(fake_province):
    first = _build_and_roll_back(fake_province, "--seed", "7")
    again = _build_and_roll_back(fake_province, "--seed", "7")
    other = _build_and_roll_back(fake_province, "--seed", "8")

    assert first["villages"] and first["teams"] and first["members"] and first["trainings"]
    assert first == again
    assert other["villages"] != first["villages"] or other["members"] != first["members"]


@pytest.mark.django_db
def test_the_demo_has_every_role_teams_on_most_villages_and_realistic_members(fake_province):
    output = _run("--province", fake_province.code)
    assert "Đã tạo dữ liệu mẫu Tỉnh Thử Nghiệm" in output

    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    communes = list(Unit.objects.filter(parent=fake_province).order_by("code"))
    for commune in communes:
        villages = list(commune.children.filter(level=Level.VILLAGE))
        assert 4 <= len(villages) <= 8
        # Distinct even without diacritics, as the village services require.
        assert len({village_search_name(v.name) for v in villages}) == len(villages)
        assert Team.objects.filter(unit=commune).count() == 1  # the commune's own team
    ward_villages = communes[0].children.all()
    assert {v.kind for v in ward_villages} == {Kind.TO_DAN_PHO}
    assert sorted(v.name for v in ward_villages)[0] == "Tổ dân phố 1"

    province_coverage = coverage(fake_province)
    assert 0 < province_coverage.villages_with_team < province_coverage.villages
    # The commune officer's commune always shows a gap to close.
    first_coverage = coverage(communes[0])
    assert first_coverage.villages_with_team < first_coverage.villages

    members = Membership.objects.filter(team__unit__path__prefix=fake_province.path)
    assert all(len(name.split()) >= 3 for name in members.values_list("display_name", flat=True))
    assert members.values("affiliation").distinct().count() >= 5
    for team in Team.objects.all():
        assert team.memberships.filter(role="leader").count() == 1
    assert Attendance.objects.filter(training__unit=fake_province).exists()
    assert Training.objects.filter(unit=communes[0]).count() == 2

    # The leader and member logins sit on the team of the first village of the first commune.
    leader = User.objects.get(username="totruong")
    (leader_membership,) = leader.memberships.all()
    assert leader_membership.role == "leader"
    assert leader_membership.team.unit.parent == communes[0]
    assert User.objects.get(username="thanhvien").memberships.get().team == leader_membership.team


@pytest.mark.django_db
def test_every_demo_login_works_with_the_demo_password(client, fake_province):
    _run("--province", fake_province.code)
    first_commune = Unit.objects.filter(parent=fake_province).order_by("code").first()
    for login in demo.DEMO_LOGINS:
        assert client.login(username=login.username, password=demo.DEMO_PASSWORD), login.username
        assert client.get(reverse("web:home"), follow=True).status_code == 200
        client.logout()
    assert not client.login(username="xa", password="wrong-password")

    client.login(username="xa", password=demo.DEMO_PASSWORD)
    assert client.get(reverse("web:unit", args=[first_commune.pk])).status_code == 200
    assert client.get(reverse("web:unit", args=[fake_province.pk])).status_code == 404


@pytest.mark.django_db
def test_a_second_run_creates_nothing_and_says_so(fake_province):
    _run("--province", fake_province.code)
    counts = [model.objects.count() for model in (Unit, Team, Membership, Training, User, AuditEvent)]

    output = _run("--province", fake_province.code, "--size", "large", "--seed", "99")

    assert output.strip().count("\n") == 0
    assert "đã có" in output
    assert [model.objects.count() for model in (Unit, Team, Membership, Training, User, AuditEvent)] == counts


@pytest.mark.django_db
def test_print_logins_lists_the_demo_accounts_and_their_password(fake_province):
    assert "Chưa có tài khoản mẫu" in _run("--print-logins")
    assert not Unit.objects.filter(level=Level.VILLAGE).exists()  # printing builds nothing

    _run("--province", fake_province.code)
    output = _run("--print-logins")

    for login in demo.DEMO_LOGINS:
        assert f"  {login.username} " in output
    assert "Quản trị toàn quốc" in output and "Tỉnh Thử Nghiệm" in output
    assert output.count(demo.DEMO_PASSWORD) == User.objects.count()


@pytest.mark.django_db
def test_the_demo_refuses_an_unknown_province_or_taken_demo_usernames(fake_province, make):
    with pytest.raises(CommandError, match="load_units"):
        _run("--province", "NOPE")
    make.user(Role.NATIONAL_ADMIN, username="admin")
    with pytest.raises(CommandError, match="admin"):
        _run("--province", fake_province.code)
    assert not Unit.objects.filter(level=Level.VILLAGE).exists()


def test_village_names_follow_the_region_and_never_repeat():
    rng = random.Random(1)
    commune = Unit(kind=Kind.COMMUNE, code="1", name="Xã Một")
    for _ in range(50):
        names = demo.village_names(commune, style=demo.SOUTH, count=24, rng=rng)
        assert len({village_search_name(name) for name, _kind in names}) == 24
        assert all(name.startswith("Ấp ") and kind == Kind.AP for name, kind in names)
    ward = Unit(kind=Kind.WARD, code="2", name="Phường Hai")
    assert demo.village_names(ward, style=demo.SOUTH, count=3, rng=rng) == [
        ("Khóm 1", Kind.KHOM), ("Khóm 2", Kind.KHOM), ("Khóm 3", Kind.KHOM)
    ]
    assert demo.village_style("96") is demo.SOUTH and demo.village_style("01") is demo.NORTH


@pytest.mark.django_db
def test_the_default_demo_is_built_on_the_real_units_of_ca_mau():
    call_command("load_units", stdout=StringIO(), stderr=StringIO())
    _run()

    ca_mau = Unit.objects.get(level=Level.PROVINCE, is_legacy=False, code=demo.DEFAULT_PROVINCE_CODE)
    with_villages = Unit.objects.filter(parent=ca_mau, children__level=Level.VILLAGE).distinct()
    assert with_villages.count() == demo.SIZES["small"].communes
    xa = RoleAssignment.objects.get(user__username="xa")
    assert xa.unit == Unit.objects.current().filter(parent=ca_mau).order_by("code").first()
    assert RoleAssignment.objects.get(user__username="tinh").unit == ca_mau
