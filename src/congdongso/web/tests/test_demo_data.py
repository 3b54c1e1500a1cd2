import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

import datetime as dt

from django.utils import timezone

from congdongso.accounts.models import Role, RoleAssignment, User
from congdongso.audit.models import AuditEvent
from congdongso.catalog.models import Adoption, AdoptionState, Service
from congdongso.catalog.services import household_refresh
from congdongso.households.models import TAG_FIELDS, ConsentPurpose, ConsentRecord, Device, Household, Resident
from congdongso.outreach.models import Assist, FollowUp, FollowUpStatus
from congdongso.outreach.selectors import worklist
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
        "households": sorted(
            Household.objects.filter(village__path__prefix=province.path).values_list(
                "village__name", "head_name", "address_line", "resident_count", "is_business", "has_elderly",
                "has_nucleus", "missing_skills",
            )
        ),
        "residents": sorted(
            (r.display_name, r.birth_year or 0, r.device, tuple(r.skills))
            for r in Resident.objects.filter(household__village__path__prefix=province.path)
        ),
        "adoptions": sorted(
            Adoption.objects.values_list("resident__display_name", "service__code", "state")
        ),
        "assists": sorted(
            Assist.objects.values_list("household__head_name", "member__username", "outcome", "occurred_at")
        ),
        "follow_ups": sorted(FollowUp.objects.values_list("household__head_name", "reason", "due_on", "status")),
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
    assert first["households"] and first["residents"] and first["adoptions"] and first["assists"]
    assert first == again
    assert other["villages"] != first["villages"] or other["members"] != first["members"]
    assert other["residents"] != first["residents"]


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
    models = (Unit, Team, Membership, Training, User, AuditEvent, Household, Resident, Adoption, Assist, FollowUp)
    counts = [model.objects.count() for model in models]

    output = _run("--province", fake_province.code, "--size", "large", "--seed", "99")

    assert output.strip().count("\n") == 0
    assert "đã có" in output
    assert [model.objects.count() for model in models] == counts


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


@pytest.mark.django_db
def test_the_demo_has_households_residents_adoption_and_assists(client, fake_province):
    _run("--province", fake_province.code)
    today = timezone.localdate()
    households = Household.objects.filter(village__path__prefix=fake_province.path)
    for village in Unit.objects.filter(path__prefix=fake_province.path, level=Level.VILLAGE):
        assert 10 <= village.households.count() <= 20

    # Most households consented; the others are counts only, without a name anywhere.
    with_consent = households.filter(has_consent=True)
    assert 0.7 < with_consent.count() / households.count() < 0.97
    assert ConsentRecord.objects.filter(withdrawn_at__isnull=True).count() == with_consent.count()
    assert all(ConsentPurpose.DIGITAL_SUPPORT in c.purposes for c in ConsentRecord.objects.all())
    counts_only = households.filter(has_consent=False)
    assert counts_only.exists() and not counts_only.exclude(head_name="", address_line="").exists()
    assert not Resident.objects.filter(household__has_consent=False).exclude(display_name="").exists()
    assert Resident.objects.filter(household__has_consent=False).exists()  # anonymous residents counted

    named = Resident.objects.filter(household__has_consent=True)
    assert all(len(name.split()) >= 3 for name in named.values_list("display_name", flat=True))
    assert all(today.year - 100 <= year <= today.year for year in named.values_list("birth_year", flat=True))
    assert set(Resident.objects.values_list("device", flat=True)) == set(Device.values)
    for tag, field in TAG_FIELDS.items():
        assert households.filter(**{field: True}).exists(), tag
    # Children and grandparents: the tags follow the ages.
    elderly = households.filter(has_elderly=True, has_consent=True).first()
    assert any(today.year - r.birth_year >= 60 for r in elderly.residents.all())

    # Some households already have a digital nucleus, most do not; the derived state is the one
    # the adoption service computes.
    assert 0.05 < households.filter(has_nucleus=True).count() / households.count() < 0.5
    sample = households.order_by("pk")[::4]  # every fourth household: enough to catch a wrong rule
    ids = [h.pk for h in sample]
    before = sorted(households.filter(pk__in=ids).values_list("pk", "has_nucleus", "missing_skills"))
    people = Resident.objects.filter(household__in=ids)
    skills_before = sorted((str(pk), sorted(s)) for pk, s in people.values_list("pk", "skills"))
    assert any(nucleus for _pk, nucleus, _missing in before) and len(before) > 50
    for pk in ids:
        household_refresh(household_id=pk)
    assert sorted(households.filter(pk__in=ids).values_list("pk", "has_nucleus", "missing_skills")) == before
    assert sorted((str(pk), sorted(s)) for pk, s in people.values_list("pk", "skills")) == skills_before

    # Assists: in the demo member's village, by the member and the leader, over the last months
    # (beside them, commune officers help during the demo campaign: campaigns/tests/test_demo_campaign.py).
    member, leader = User.objects.get(username="thanhvien"), User.objects.get(username="totruong")
    village = member.role_assignments.get().unit
    assists = Assist.objects.all()
    team = assists.exclude(member__username__startswith=demo.EXTRA_OFFICER_PREFIX)
    assert team.count() >= 10
    assert set(team.values_list("village", flat=True)) == {village.pk}
    assert set(team.values_list("member", flat=True)) == {member.pk, leader.pk}
    assert all(
        today - dt.timedelta(days=151) <= timezone.localtime(at).date() < today
        for at in assists.values_list("occurred_at", flat=True)
    )
    assert AuditEvent.objects.filter(action="assist.record").count() == assists.count()
    assert Adoption.objects.filter(state=AdoptionState.ASSISTED).exists()
    assert FollowUp.objects.filter(status=FollowUpStatus.OPEN, village__path__prefix=fake_province.path).exists()

    # The member's worklist starts with a household that needs help, and its visit screen opens.
    first = worklist(member).first()
    assert first is not None and not first.has_nucleus
    client.force_login(member)
    assert client.get(reverse("outreach:visit", args=[first.pk])).status_code == 200


@pytest.mark.django_db
def test_without_the_services_catalogue_the_demo_says_what_to_do(fake_province):
    Service.objects.update(is_active=False)
    with pytest.raises(CommandError, match="danh mục dịch vụ số"):
        _run("--province", fake_province.code)
    assert not Unit.objects.filter(level=Level.VILLAGE).exists() and not Household.objects.exists()

