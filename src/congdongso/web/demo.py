"""Demo data: one real province, its real communes, generated villages, teams, members, trainings
and a login for every role.

Everything is drawn from `random.Random` instances seeded from `(seed, commune code, purpose)`, so
the same seed gives the same villages, teams and people, and a commune's data does not depend on how
many other communes are built (the communes of the "small" demo look the same in the "medium" one).
Writes go through the real services (villages, users, teams, memberships, trainings, attendance), so
paths, audit events and invariants stay true, all inside one transaction: a failed run leaves
nothing behind.
"""

import datetime as dt
import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from congdongso.accounts.models import Role, RoleAssignment, User
from congdongso.accounts.services import user_create
from congdongso.common.text import fold
from congdongso.geo.models import Kind, Level, Unit
from congdongso.geo.naming import village_search_name
from congdongso.geo.services import VillageSpec, villages_create_many
from congdongso.teams.models import Affiliation, MemberRole, Membership, Training
from congdongso.teams.selectors import coverage
from congdongso.teams.services import (
    attendance_set,
    membership_add,
    membership_end,
    team_create,
    team_update,
    training_create,
)

DEMO_PASSWORD = "congdongso-demo"
DEFAULT_PROVINCE_CODE = "96"  # Tỉnh Cà Mau: 64 communes and wards after the 2025 reform
DEFAULT_SEED = 2025

Progress = Callable[[str], None]
"""Called once per commune built, with the commune's name."""


def _no_progress(name: str) -> None:
    return None


class DemoError(Exception):
    """The demo cannot be built here; the message (Vietnamese) says why and what to do."""


# --- sizes and logins -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSize:
    communes: int | None  # the first N communes by code; None: all of the province
    villages: tuple[int, int]  # villages per commune, inclusive range
    extra_officers: int  # commune officers `xa-<code>` for the communes after the first


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(communes=15, villages=(4, 8), extra_officers=4),
    "medium": DemoSize(communes=None, villages=(4, 8), extra_officers=8),
    "large": DemoSize(communes=None, villages=(12, 24), extra_officers=12),
}
DEFAULT_SIZE = "small"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


ADMIN = DemoLogin("admin", Role.NATIONAL_ADMIN)
PROVINCE_OFFICER = DemoLogin("tinh", Role.PROVINCE_OFFICER)
COMMUNE_OFFICER = DemoLogin("xa", Role.COMMUNE_OFFICER)
TEAM_LEADER = DemoLogin("totruong", Role.TEAM_LEADER)
MEMBER = DemoLogin("thanhvien", Role.MEMBER)
DEMO_LOGINS = (ADMIN, PROVINCE_OFFICER, COMMUNE_OFFICER, TEAM_LEADER, MEMBER)
EXTRA_OFFICER_PREFIX = "xa-"


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str
    unit: str
    password: str = DEMO_PASSWORD


@dataclass(frozen=True)
class DemoSummary:
    province: Unit
    communes: int
    villages: int
    villages_with_team: int
    teams: int
    members: int
    trainings: int
    users: int


# --- names ----------------------------------------------------------------------------------------

# Family names with rough national shares (per cent).
FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 4), ("Hoàng", 2), ("Phan", 4),
    ("Võ", 4), ("Vũ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1),
    ("Lý", 1), ("Trương", 1), ("Đinh", 1), ("Lâm", 1), ("Tô", 1), ("Thái", 1), ("Quách", 1),
)
MIDDLE_NAMES = {
    "m": ("Văn", "Văn", "Văn", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Công", "Hoàng", "Tấn", "Chí"),
    "f": ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Thanh", "Bích", "Hồng", "Diễm", "Phương"),
}
GIVEN_NAMES = {
    "m": (
        "An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hậu", "Hiếu", "Hòa", "Hùng", "Huy", "Khang",
        "Khoa", "Lộc", "Long", "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc", "Quang", "Sơn", "Tài",
        "Tâm", "Thắng", "Thành", "Thiện", "Toàn", "Trí", "Trung", "Tuấn", "Việt", "Vinh", "Vũ",
    ),
    "f": (
        "Anh", "Châu", "Diệu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Lan", "Linh",
        "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Thủy", "Trang",
        "Trinh", "Tuyết", "Uyên", "Vân", "Xuân", "Yến",
    ),
}


def person_name(rng: random.Random, gender: str | None = None) -> str:
    """A realistic Vietnamese full name: family, middle and given name."""
    gender = gender or rng.choice("mf")
    family = rng.choices([n for n, _w in FAMILY_NAMES], weights=[w for _n, w in FAMILY_NAMES])[0]
    return f"{family} {rng.choice(MIDDLE_NAMES[gender])} {rng.choice(GIVEN_NAMES[gender])}"


@dataclass(frozen=True)
class VillageStyle:
    """How villages are called in a region: the kind and name prefix in communes and in wards, and
    the place names that named villages draw from."""

    kind: str
    prefix: str
    ward_kind: str
    ward_prefix: str
    places: tuple[str, ...]


_COMMON_FIRST = ("Tân", "Phú", "An", "Hòa", "Bình", "Long", "Mỹ", "Vĩnh", "Thạnh", "Phước", "Hưng", "Đông")
_COMMON_SECOND = (
    "Lợi", "Hưng", "Thành", "Điền", "Phong", "Hiệp", "Thuận", "Khánh", "Trung", "Lộc", "Hòa", "Mỹ", "Tây",
    "Phú", "Quới", "Thạnh", "An", "Bình",
)
SOUTH = VillageStyle(
    Kind.AP, "Ấp", Kind.KHOM, "Khóm",
    (
        "Kinh Ngang", "Rạch Gốc", "Cái Keo", "Xẻo Đước", "Bà Điều", "Nhà Thờ", "Chợ", "Giồng Me",
        "Cây Dương", "Xóm Mới", "Kinh Tư", "Cái Giá", "Xẻo Chích", "Bà Hiên", "Rạch Ruộng", "Nội Ô",
        "Năm Căn", "Đầu Sấu", "Kinh Xáng", "Cây Gừa", "Vàm Xáng", "Sóc Đồn", "Bờ Đập", "Thanh Long",
    ),
)
NORTH = VillageStyle(
    Kind.THON, "Thôn", Kind.TO_DAN_PHO, "Tổ dân phố",
    ("Đông", "Đoài", "Thượng", "Hạ", "Trung", "Yên Thái", "Phú Mỹ", "Cầu", "Đình", "Bến", "Chùa", "Mới"),
)
NORTH_MOUNTAINS = VillageStyle(
    Kind.BAN, "Bản", Kind.TO_DAN_PHO, "Tổ dân phố",
    (
        "Na Hang", "Nà Tấu", "Huổi Một", "Co Mạ", "Nậm Cang", "Pá Khoang", "Nà Sản", "Phiêng Luông",
        "Khau Vai", "Lũng Cú", "Nà Lừa", "Bó Củng", "Mường Chanh", "Hua Pe", "Tà Chải", "Sín Chải",
    ),
)
HIGHLANDS = VillageStyle(
    Kind.OTHER_VILLAGE, "Buôn", Kind.TO_DAN_PHO, "Tổ dân phố",
    (
        "Ko Sia", "Ea Kmát", "Đôn", "Trấp", "Ako Dhông", "Kram", "Ea Sup", "Drai", "Hra Ea Hning",
        "Jun", "Tring", "Ea Kiết", "Cuôr Đăng", "M'Liêng", "Knia", "Ea Nao",
    ),
)
# Province codes (after the 2025 reform) by the way their villages are called.
_STYLE_BY_PROVINCE: dict[str, VillageStyle] = {
    **dict.fromkeys(("04", "08", "11", "12", "14", "15", "20"), NORTH_MOUNTAINS),
    **dict.fromkeys(("52", "66"), HIGHLANDS),
    **dict.fromkeys(("75", "79", "80", "82", "86", "91", "92", "96"), SOUTH),
}


def village_style(province_code: str) -> VillageStyle:
    return _STYLE_BY_PROVINCE.get(province_code, NORTH)


def village_names(commune: Unit, *, style: VillageStyle, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (name, kind) pairs for one commune: numbered in wards ("Khóm 3"), numbered
    or named in communes ("Ấp 2", "Ấp Tân Lợi"). Names differ even without diacritics, as the
    village services require."""
    if commune.kind in (Kind.WARD, Kind.TOWNSHIP):
        return [(f"{style.ward_prefix} {n}", style.ward_kind) for n in range(1, count + 1)]
    if rng.random() < 0.4:
        return [(f"{style.prefix} {n}", style.kind) for n in range(1, count + 1)]
    places = rng.sample(style.places, k=min(len(style.places), (count + 1) // 2))
    compounds = [f"{a} {b}" for a in _COMMON_FIRST for b in _COMMON_SECOND if fold(a) != fold(b)]
    rng.shuffle(compounds)
    chosen: dict[str, str] = {}
    for place in places + compounds:
        name = f"{style.prefix} {place}"
        chosen.setdefault(village_search_name(name), name)
        if len(chosen) == count:
            break
    names = list(chosen.values())
    rng.shuffle(names)
    return [(name, style.kind) for name in names]


def _rng(seed: int, *parts: object) -> random.Random:
    # String seeds are hashed with SHA-512: stable across runs and PYTHONHASHSEED.
    return random.Random(":".join(str(p) for p in (seed, *parts)))


# --- plans (pure) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    name: str
    role: str
    affiliation: str
    joined_on: dt.date
    left_on: dt.date | None = None


@dataclass(frozen=True)
class TeamPlan:
    name: str
    zalo_link: str
    is_active: bool
    people: tuple[PersonPlan, ...]


@dataclass(frozen=True)
class CommunePlan:
    decision_number: str
    decision_date: dt.date
    commune_team: TeamPlan
    village_teams: dict[str, TeamPlan] = field(default_factory=dict)  # by village name; missing: no team


# Affiliations a village team fills after its leader: the usual make-up of a Tổ CNSCĐ.
_VILLAGE_CORE = (Affiliation.YOUTH_UNION, Affiliation.POLICE, Affiliation.WOMENS_UNION)
_VILLAGE_OTHERS = (
    Affiliation.YOUTH_UNION, Affiliation.YOUTH_UNION, Affiliation.TEACHER, Affiliation.TELECOM,
    Affiliation.OTHER, Affiliation.OTHER, Affiliation.WOMENS_UNION,
)
_COMMUNE_CORE = (
    Affiliation.OTHER, Affiliation.TELECOM, Affiliation.TELECOM, Affiliation.POLICE, Affiliation.YOUTH_UNION,
    Affiliation.WOMENS_UNION, Affiliation.TEACHER,
)
_LAST_DATE = dt.date(2026, 10, 31)


def _zalo_link(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return ""
    return "https://zalo.me/g/" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=10))


def _people(
    rng: random.Random, *, affiliations: Sequence[str], leader_affiliation: str, formed_on: dt.date
) -> tuple[PersonPlan, ...]:
    roles = [MemberRole.LEADER] + [MemberRole.DEPUTY] * rng.choice((1, 1, 2))
    roles += [MemberRole.MEMBER] * (len(affiliations) + 1 - len(roles))
    people = []
    for role, affiliation in zip(roles, [leader_affiliation, *affiliations], strict=True):
        joined_on = formed_on if rng.random() < 0.8 else formed_on + dt.timedelta(days=rng.randint(10, 300))
        left_on = None
        if role == MemberRole.MEMBER and rng.random() < 0.06:
            left_on = min(joined_on + dt.timedelta(days=rng.randint(30, 400)), _LAST_DATE)
        people.append(PersonPlan(person_name(rng), role, affiliation, joined_on, left_on))
    return tuple(people)


def commune_plan(commune: Unit, villages: Sequence[str], *, seed: int, is_login_commune: bool) -> CommunePlan:
    """Teams of one commune: a commune team, and a team on most villages (some are left without).

    In the commune of the demo logins the first village always has an active team (the team
    leader's and member's) and the last one never has one, so its coverage is below 100%.
    """
    rng = _rng(seed, commune.code, "teams")
    decision_date = dt.date(2025, 7, 15) + dt.timedelta(days=rng.randint(0, 75))
    decision_number = f"{rng.randint(12, 480)}/QĐ-UBND"
    commune_team = TeamPlan(
        name=f"Tổ CNSCĐ {commune.name}", zalo_link=_zalo_link(rng), is_active=True,
        people=_people(
            rng, affiliations=_COMMUNE_CORE + tuple(rng.sample(_VILLAGE_OTHERS, k=rng.randint(0, 3))),
            leader_affiliation=Affiliation.OTHER, formed_on=decision_date,
        ),
    )
    village_teams = {}
    for index, village in enumerate(villages):
        skipped = rng.random() < 0.12
        is_active = rng.random() > 0.03
        if is_login_commune and index == 0:
            skipped, is_active = False, True
        if skipped or (is_login_commune and index == len(villages) - 1):
            continue
        extra = rng.randint(1, 5)
        village_teams[village] = TeamPlan(
            name=f"Tổ CNSCĐ {village}", zalo_link=_zalo_link(rng), is_active=is_active,
            people=_people(
                rng, affiliations=_VILLAGE_CORE + tuple(rng.choices(_VILLAGE_OTHERS, k=extra)),
                leader_affiliation=Affiliation.VILLAGE_HEAD if rng.random() < 0.7 else Affiliation.YOUTH_UNION,
                formed_on=decision_date,
            ),
        )
    return CommunePlan(decision_number, decision_date, commune_team, village_teams)


TRAINING_TITLES = (
    "Hướng dẫn cài đặt và kích hoạt tài khoản định danh điện tử VNeID mức độ 2",
    "Nhận diện và phòng chống lừa đảo trực tuyến",
    "Hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia",
    "Thanh toán không dùng tiền mặt: mở tài khoản Mobile Money, thanh toán hóa đơn bằng mã QR",
    "Hướng dẫn bán hàng trên sàn thương mại điện tử Voso, Postmart",
    "Sử dụng Sổ sức khỏe điện tử và ứng dụng VssID",
)


# --- state ----------------------------------------------------------------------------------------


def demo_province() -> Unit | None:
    """The province of the demo already built here (where `tinh` is province officer), if any."""
    assignment = (
        RoleAssignment.objects.filter(user__username=PROVINCE_OFFICER.username, role=Role.PROVINCE_OFFICER)
        .select_related("unit")
        .first()
    )
    return assignment.unit if assignment else None


def demo_summary(province: Unit) -> DemoSummary:
    cover = coverage(province)
    return DemoSummary(
        province=province,
        communes=Unit.objects.filter(parent=province, level=Level.COMMUNE, children__level=Level.VILLAGE)
        .distinct()
        .count(),
        villages=cover.villages,
        villages_with_team=cover.villages_with_team,
        teams=cover.teams,
        members=cover.members,
        trainings=Training.objects.filter(unit__path__prefix=province.path).count(),
        users=RoleAssignment.objects.filter(unit__path__prefix=province.path).values("user").distinct().count()
        + RoleAssignment.objects.filter(unit__isnull=True).count(),
    )


def demo_existing() -> DemoSummary | None:
    """The demo already built, when every demo login exists and its province has villages."""
    if User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).count() != len(DEMO_LOGINS):
        return None
    province = demo_province()
    if province is None or not Unit.objects.filter(path__prefix=province.path, level=Level.VILLAGE).exists():
        return None
    return demo_summary(province)


def demo_logins() -> list[LoginRow]:
    """The demo logins that exist, with their role and unit, for the console."""
    rows = []
    assignments = (
        RoleAssignment.objects.filter(user__username__in=[login.username for login in DEMO_LOGINS])
        .select_related("user", "unit", "unit__parent")
    )
    by_username = {a.user.username: a for a in assignments}
    for login in DEMO_LOGINS:
        assignment = by_username.get(login.username)
        if assignment is not None:
            rows.append(LoginRow(login.username, Role(assignment.role).label, _unit_label(assignment.unit)))
    extra = list(
        RoleAssignment.objects.filter(user__username__startswith=EXTRA_OFFICER_PREFIX, role=Role.COMMUNE_OFFICER)
        .select_related("user", "unit", "unit__parent")
        .order_by("user__username")
    )
    rows += [LoginRow(a.user.username, Role(a.role).label, _unit_label(a.unit)) for a in extra]
    return rows


def _unit_label(unit: Unit | None) -> str:
    if unit is None:
        return _("Toàn quốc")
    if unit.level == Level.PROVINCE or unit.parent is None:
        return unit.name
    return f"{unit.name}, {unit.parent.name}"


# --- build ----------------------------------------------------------------------------------------


def demo_build(
    *, province_code: str = DEFAULT_PROVINCE_CODE, size: str = DEFAULT_SIZE, seed: int = DEFAULT_SEED,
    progress: Progress = _no_progress,
) -> DemoSummary:
    """Build the demo province in one transaction. Raises DemoError when it cannot be built here."""
    province, communes = _demo_communes(province_code, SIZES[size])
    _check_room(province)
    style = village_style(province.code)
    with transaction.atomic():
        villages = _create_villages(communes, style=style, size=SIZES[size], seed=seed)
        users = _create_users(province, communes, villages, seed=seed, extra_officers=SIZES[size].extra_officers)
        for index, commune in enumerate(communes):
            names = [v.name for v in villages[commune.pk]]
            plan = commune_plan(commune, names, seed=seed, is_login_commune=index == 0)
            _create_teams(commune, villages[commune.pk], plan, users=users)
            progress(commune.name)
        _create_trainings(province, communes, seed=seed)
    return demo_summary(province)


def _demo_communes(province_code: str, size: DemoSize) -> tuple[Unit, list[Unit]]:
    province = Unit.objects.current().filter(level=Level.PROVINCE, code=province_code).first()
    if province is None:
        raise DemoError(
            _("Chưa có tỉnh/thành phố mã %(code)s. Hãy chạy `congdongso load_units` trước.") % {"code": province_code}
        )
    communes = list(Unit.objects.current().filter(parent=province, level=Level.COMMUNE).order_by("code"))
    if not communes:
        raise DemoError(_("Tỉnh/thành phố %(name)s chưa có xã/phường nào.") % {"name": province.name})
    return province, communes[: size.communes] if size.communes else communes


def _check_room(province: Unit) -> None:
    taken = sorted(
        User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).values_list("username", flat=True)
    )
    if taken:
        raise DemoError(
            _("Tài khoản %(names)s đã có nhưng dữ liệu mẫu chưa đầy đủ; hãy dùng một cơ sở dữ liệu mới.")
            % {"names": ", ".join(taken)}
        )
    if Unit.objects.filter(path__prefix=province.path, level=Level.VILLAGE).exists():
        raise DemoError(
            _("%(name)s đã có thôn/tổ dân phố; hãy chọn tỉnh khác bằng --province.") % {"name": province.name}
        )


def planned_villages(
    communes: Sequence[Unit], *, style: VillageStyle, size: DemoSize, seed: int
) -> list[VillageSpec]:
    specs = []
    for commune in communes:
        rng = _rng(seed, commune.code, "villages")
        names = village_names(commune, style=style, count=rng.randint(*size.villages), rng=rng)
        specs += [VillageSpec(commune, name, kind) for name, kind in names]
    return specs


def _create_villages(
    communes: Sequence[Unit], *, style: VillageStyle, size: DemoSize, seed: int
) -> dict[int, list[Unit]]:
    specs = planned_villages(communes, style=style, size=size, seed=seed)
    created = villages_create_many(specs=specs, actor_id=None)
    by_commune: dict[int, list[Unit]] = {commune.pk: [] for commune in communes}
    for village in created:
        by_commune[village.parent_id].append(village)
    return by_commune


@dataclass(frozen=True)
class DemoUsers:
    leader: User
    member: User
    leader_village: Unit


def _create_users(
    province: Unit, communes: Sequence[Unit], villages: dict[int, list[Unit]], *, seed: int, extra_officers: int
) -> DemoUsers:
    rng = _rng(seed, "users")
    first = communes[0]
    village = villages[first.pk][0]

    def make(login: DemoLogin, display_name: str, unit: Unit | None) -> User:
        return user_create(
            username=login.username, password=DEMO_PASSWORD, display_name=display_name, role=login.role,
            unit=unit, actor_id=None,
        )

    make(ADMIN, _("Quản trị hệ thống"), None)
    make(PROVINCE_OFFICER, person_name(rng), province)
    make(COMMUNE_OFFICER, person_name(rng), first)
    leader = make(TEAM_LEADER, person_name(rng), village)
    member = make(MEMBER, person_name(rng), village)
    for commune in communes[1 : 1 + extra_officers]:
        make(DemoLogin(f"{EXTRA_OFFICER_PREFIX}{commune.code}", Role.COMMUNE_OFFICER), person_name(rng), commune)
    return DemoUsers(leader=leader, member=member, leader_village=village)


def _create_teams(commune: Unit, villages: Sequence[Unit], plan: CommunePlan, *, users: DemoUsers) -> None:
    _create_team(commune, plan.commune_team, plan, users=users)
    for village in villages:
        team_plan = plan.village_teams.get(village.name)
        if team_plan is not None:
            _create_team(village, team_plan, plan, users=users)


def _create_team(unit: Unit, team_plan: TeamPlan, plan: CommunePlan, *, users: DemoUsers) -> None:
    team = team_create(
        unit=unit, name=team_plan.name, decision_number=plan.decision_number, decision_date=plan.decision_date,
        zalo_link=team_plan.zalo_link, actor_id=None,
    )
    if not team_plan.is_active:
        team_update(team=team, is_active=False, actor_id=None)
    # The team leader and member logins sit on the first team of their village.
    linked = {}
    if unit.pk == users.leader_village.pk:
        linked = {0: users.leader, len(team_plan.people) - 1: users.member}
    for index, person in enumerate(team_plan.people):
        user = linked.get(index)
        membership = membership_add(
            team=team, display_name=user.display_name if user else person.name, role=person.role,
            affiliation=person.affiliation, joined_on=person.joined_on, user=user, actor_id=None,
        )
        if person.left_on and user is None:
            membership_end(membership=membership, left_on=person.left_on, actor_id=None)


def _create_trainings(province: Unit, communes: Sequence[Unit], *, seed: int) -> None:
    """A province training for team leaders, and one or two trainings in the first few communes."""
    rng = _rng(seed, "trainings")
    leaders = list(
        Membership.objects.filter(
            team__unit__path__prefix=province.path, role=MemberRole.LEADER, left_on__isnull=True
        ).order_by("pk")
    )
    training = training_create(
        unit=province, title=_("Tập huấn kỹ năng số cơ bản cho tổ trưởng Tổ công nghệ số cộng đồng"),
        held_on=dt.date(2025, 10, 10), location=_("Hội trường UBND %(name)s") % {"name": province.name},
        actor_id=None,
    )
    attendance_set(training=training, memberships=rng.sample(leaders, k=len(leaders) * 4 // 5), actor_id=None)
    for index, commune in enumerate(communes[:4]):
        candidates = list(
            Membership.objects.filter(team__unit__path__prefix=commune.path, left_on__isnull=True).order_by("pk")
        )
        for title in rng.sample(TRAINING_TITLES, k=2 if index == 0 else 1):
            training = training_create(
                unit=commune, title=title,
                held_on=dt.date(2025, 11, 1) + dt.timedelta(days=rng.randint(0, 330)),
                location=_("Hội trường UBND %(name)s") % {"name": commune.name}, actor_id=None,
            )
            share = rng.uniform(0.55, 0.9)
            attendance_set(
                training=training, memberships=rng.sample(candidates, k=round(len(candidates) * share)),
                actor_id=None,
            )
