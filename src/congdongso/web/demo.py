"""Demo data: one real province, its real communes, generated villages, teams, members, trainings,
households with their residents, consent and digital skills, assists and follow-ups, and a login for
every role.

Everything is drawn from `random.Random` instances seeded from `(seed, commune code, purpose)`, so
the same seed gives the same villages, teams and people, and a commune's data does not depend on how
many other communes are built (the communes of the "small" demo look the same in the "medium" one).
Writes go through the real services (villages, users, teams, memberships, trainings, attendance,
assists), so paths, audit events and invariants stay true, all inside one transaction: a failed run
leaves nothing behind. Households, residents, consent records and prior adoption are too many for
one service call each: they are inserted in bulk, with the derived state computed by the services'
rule (see the households section below). Dates of consent, adoption and assists count back from the
day of the build, so the worklist always has recent visits and follow-ups due.
"""

import datetime as dt
import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdongso.accounts.models import Role, RoleAssignment, User
from congdongso.accounts.services import user_create
from congdongso.campaigns.models import Campaign
from congdongso.campaigns.services import campaign_create, campaign_targets_set
from congdongso.catalog.models import Adoption, AdoptionState, Service, Skill
from congdongso.catalog.selectors import recommendations_for, rules_in_force
from congdongso.common.bulk import bulk_insert
from congdongso.common.ids import new_id
from congdongso.common.text import fold
from congdongso.geo.models import Kind, Level, Unit
from congdongso.geo.naming import village_search_name
from congdongso.geo.services import VillageSpec, villages_create_many
from congdongso.households.models import (
    CURRENT_NOTICE_VERSION,
    TAG_FIELDS,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    Device,
    Household,
    Resident,
    Sex,
    Tag,
)
from congdongso.indicators.services import tallies_rebuild
from congdongso.outreach.models import Assist, Channel, FollowUp, FollowUpStatus, Outcome
from congdongso.outreach.services import assist_record
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
    households: tuple[int, int] = (10, 20)  # households per village, inclusive range


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(communes=15, villages=(4, 8), extra_officers=4, households=(10, 20)),
    "medium": DemoSize(communes=None, villages=(4, 8), extra_officers=8, households=(15, 30)),
    "large": DemoSize(communes=None, villages=(12, 24), extra_officers=12, households=(30, 60)),
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
    households: int = 0
    residents: int = 0
    households_with_nucleus: int = 0
    assists: int = 0
    open_follow_ups: int = 0


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
    households = Household.objects.filter(village__path__prefix=province.path)
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
        households=households.count(),
        residents=Resident.objects.filter(household__village__path__prefix=province.path).count(),
        households_with_nucleus=households.filter(has_nucleus=True).count(),
        assists=Assist.objects.filter(village__path__prefix=province.path).count(),
        open_follow_ups=FollowUp.objects.filter(
            village__path__prefix=province.path, status=FollowUpStatus.OPEN
        ).count(),
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
    catalogue = _catalogue(province)
    style = village_style(province.code)
    today = timezone.localdate()
    with transaction.atomic():
        villages = _create_villages(communes, style=style, size=SIZES[size], seed=seed)
        users = _create_users(province, communes, villages, seed=seed, extra_officers=SIZES[size].extra_officers)
        for index, commune in enumerate(communes):
            names = [v.name for v in villages[commune.pk]]
            plan = commune_plan(commune, names, seed=seed, is_login_commune=index == 0)
            _create_teams(commune, villages[commune.pk], plan, users=users)
            _create_households(
                commune, villages[commune.pk], style=style, size=SIZES[size], seed=seed, catalogue=catalogue,
                today=today,
            )
            progress(commune.name)
        _create_trainings(province, communes, seed=seed)
        campaign = _create_campaign(province, communes, seed=seed, today=today)
        _refresh_planner_statistics()
        _create_assists(province, users=users, catalogue=catalogue, seed=seed, today=today, campaign=campaign)
        _create_campaign_assists(province, communes, campaign, users=users, seed=seed, today=today)
        # Households, adoption and follow-ups went in with bulk SQL, past the services: count them all.
        tallies_rebuild()
    return demo_summary(province)


def _refresh_planner_statistics() -> None:
    """PostgreSQL plans the assists' per-household recounts from table statistics, and it has none for
    rows bulk-inserted in this still-open transaction: without them each recount can take a scan of
    the whole adoption table. ANALYZE in the transaction counts its own new rows."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE households_household, households_resident, catalog_adoption, outreach_assist")


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


# --- households, residents, adoption, assists -----------------------------------------------------
#
# Households, consent records, residents and the adoption residents already had before the team came
# (self-taught) are planned in pure functions and inserted in bulk: a small demo has ~1,300
# households and ~4,000 residents, far too many for one service call each. Their derived state
# (skills, proficiency, digital nucleus) is computed by the same rule as `household_refresh`, which a
# test checks. Assists then go through `assist_record` (the member's village only: the demo logins
# are its team), so adoption, follow-ups and the audit trail follow from events as in the product.

# Family names of ethnic-minority households, by the way villages are called in the region.
MINORITY_FAMILY_NAMES: dict[str, tuple[str, ...]] = {
    Kind.AP: ("Thạch", "Danh", "Sơn", "Kim", "Lâm", "Chau"),  # Khmer families of the Mekong delta
    Kind.THON: ("Nông", "Hà", "Lường", "Đinh", "Quách"),
    Kind.BAN: ("Lò", "Giàng", "Vàng", "Sùng", "Lường", "Nông", "Hà"),
    Kind.OTHER_VILLAGE: ("Ksor", "Siu", "Nay", "Rơ Châm", "Rmah", "Y"),
}
MINORITY_SHARE = {Kind.AP: 0.05, Kind.THON: 0.03, Kind.BAN: 0.6, Kind.OTHER_VILLAGE: 0.45}
CONSENT_SHARE = 0.85
ASSIST_NOTES = (
    "Hẹn cuối tuần con cháu về cùng hướng dẫn",
    "Đã cài ứng dụng, cần nhắc lại cách đăng nhập",
    "Người dân muốn học thêm về thanh toán bằng mã QR",
    "Điện thoại yếu pin, hẹn lần sau",
    "Đã hướng dẫn cách nhận biết cuộc gọi giả danh",
    "Cần mang căn cước gắn chip khi quay lại",
)


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    skill: str
    needs_smartphone: bool


@dataclass(frozen=True)
class ResidentPlan:
    name: str  # empty in a counts-only household
    birth_year: int | None
    sex: str
    device: str
    uses: tuple[str, ...]  # service codes the person already uses on their own


@dataclass(frozen=True)
class HouseholdPlan:
    tags: frozenset[str]
    head_name: str  # empty without consent
    address_line: str
    resident_count: int
    residents: tuple[ResidentPlan, ...]  # none for some counts-only households
    consent_method: str = ""  # empty: no consent
    consent_purposes: tuple[str, ...] = ()
    consent_days_ago: int = 0
    request: str = ""  # a service code the household asked to be helped with (an open follow-up)
    request_due_in: int = 0

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_method)


def _full_name(rng: random.Random, gender: str, family: str) -> str:
    return f"{family} {rng.choice(MIDDLE_NAMES[gender])} {rng.choice(GIVEN_NAMES[gender])}"


def _family(rng: random.Random, minority_names: tuple[str, ...] | None) -> str:
    if minority_names:
        return rng.choice(minority_names)
    return rng.choices([n for n, _w in FAMILY_NAMES], weights=[w for _n, w in FAMILY_NAMES])[0]


def _device(rng: random.Random, age: int) -> str:
    """Phones by age, roughly as rural surveys find them: the elderly often keep a feature phone."""
    if age < 10:
        return Device.NONE
    shares = (
        (0.6, 0.0) if age < 18 else (0.88, 0.1) if age < 60 else (0.45, 0.45) if age < 75 else (0.15, 0.55)
    )
    roll = rng.random()
    return Device.SMARTPHONE if roll < shares[0] else Device.FEATURE_PHONE if roll < sum(shares) else Device.NONE


def _uses(rng: random.Random, age: int, device: str, catalogue: Sequence[CatalogueEntry]) -> tuple[str, ...]:
    """What a person already uses on their own: a digital "level" by age and phone, then for each
    basic skill one or two services of it with that probability (so skills come together, as they do)."""
    if device == Device.NONE:
        return ()
    if device == Device.FEATURE_PHONE:
        level = rng.uniform(0, 0.5)
    elif age < 15:
        level = rng.uniform(0, 0.4)
    else:
        low, high = (0.35, 1.0) if age <= 35 else (0.15, 0.9) if age <= 55 else (0.0, 0.6) if age < 70 else (0.0, 0.35)
        level = rng.uniform(low, high)
    uses: list[str] = []
    for skill in Skill.values:
        if rng.random() >= level:
            continue
        usable = [
            e.code for e in catalogue
            if e.skill == skill and (device == Device.SMARTPHONE or not e.needs_smartphone)
        ]
        if usable:
            uses += rng.sample(usable, k=min(len(usable), 2 if rng.random() < 0.3 else 1))
    return tuple(uses)


def household_plan(
    rng: random.Random, *, village_kind: str, catalogue: Sequence[CatalogueEntry], year: int
) -> HouseholdPlan:
    """One household: a head, often a spouse, children, sometimes an elderly parent; tags follow
    from the people (school-age children, someone 60 or older) and from chance (trade, poverty)."""
    minority = rng.random() < MINORITY_SHARE.get(village_kind, 0.03)
    names = MINORITY_FAMILY_NAMES.get(village_kind, MINORITY_FAMILY_NAMES[Kind.THON]) if minority else None
    head_gender = "m" if rng.random() < 0.72 else "f"
    head_age = round(rng.triangular(24, 85, 45))
    head_family = _family(rng, names)
    people = [(head_gender, head_age, head_family)]
    father_family = head_family if head_gender == "m" else None
    if rng.random() < (0.85 if head_age < 65 else 0.55):
        spouse_gender = "f" if head_gender == "m" else "m"
        spouse_family = _family(rng, names)
        people.append((spouse_gender, max(20, head_age + rng.randint(-6, 4)), spouse_family))
        father_family = father_family or spouse_family
    if head_age <= 58:
        for _index in range(rng.choices((0, 1, 2, 3), weights=(2, 3, 4, 1))[0]):
            child_gender = rng.choice("mf")
            people.append((child_gender, rng.randint(0, min(head_age - 20, 25)), father_family or head_family))
    if head_age <= 55 and rng.random() < 0.3:
        elder_gender = rng.choice("mf")
        elder_family = head_family if elder_gender == "m" and head_gender == "m" else _family(rng, names)
        people.append((elder_gender, min(98, head_age + rng.randint(20, 35)), elder_family))

    consent = rng.random() < CONSENT_SHARE
    keep_rows = consent or rng.random() < 0.5
    residents = []
    for gender, age, family in people:
        name = _full_name(rng, gender, family)
        device = _device(rng, age)
        uses = _uses(rng, age, device, catalogue)
        if keep_rows:
            residents.append(
                ResidentPlan(
                    name=name if consent else "", birth_year=year - age if consent else None,
                    sex=(Sex.MALE if gender == "m" else Sex.FEMALE) if consent else Sex.UNSPECIFIED,
                    device=device, uses=uses,
                )
            )
    ages = [age for _g, age, _f in people]
    tags = {Tag.ETHNIC_MINORITY} if minority else set()
    if any(6 <= age <= 18 for age in ages):
        tags.add(Tag.SCHOOL_CHILDREN)
    if any(age >= 60 for age in ages):
        tags.add(Tag.ELDERLY)
    if rng.random() < 0.15:
        tags.add(Tag.BUSINESS)
    if rng.random() < (0.2 if minority else 0.07):
        tags.add(Tag.POOR)
    if rng.random() < 0.03:
        tags.add(Tag.DISABILITY)
    request = rng.choice(catalogue).code if rng.random() < 0.06 else ""
    plan = HouseholdPlan(
        tags=frozenset(tags), head_name="", address_line="", resident_count=len(people), residents=tuple(residents),
        request=request, request_due_in=rng.randint(-10, 14),
    )
    if not consent:
        return plan
    method = rng.choices(ConsentMethod.values, weights=(55, 40, 5))[0]
    purposes = [ConsentPurpose.DIGITAL_SUPPORT]
    purposes += [ConsentPurpose.CONTACT] if rng.random() < 0.8 else []
    purposes += [ConsentPurpose.STATISTICS] if rng.random() < 0.5 else []
    return HouseholdPlan(
        tags=plan.tags, head_name=residents[0].name, address_line=f"Số {rng.randint(1, 400)}",
        resident_count=plan.resident_count, residents=plan.residents, consent_method=method,
        consent_purposes=tuple(sorted(purposes)), consent_days_ago=rng.randint(20, 200), request=plan.request,
        request_due_in=plan.request_due_in,
    )


def derived_state(plan: HouseholdPlan, skill_of: dict[str, str]) -> tuple[list[list[str]], bool, int]:
    """Each resident's skills, the digital nucleus and the missing skills — the rule of
    `catalog.services.household_refresh`, applied to a plan."""
    skills = [sorted({skill_of[code] for code in r.uses}) for r in plan.residents]
    best = max((len(s) for s in skills), default=0)
    return skills, best == len(Skill.values), len(Skill.values) - best


def _catalogue(province: Unit) -> list[CatalogueEntry]:
    services = Service.objects.filter(is_active=True).filter(
        Q(province__isnull=True) | Q(province=province)
    ).order_by("sort_order", "code")
    entries = [CatalogueEntry(s.code, s.name, s.skill, s.needs_smartphone) for s in services]
    if not {e.skill for e in entries} >= set(Skill.values):
        raise DemoError(
            _(
                "Chưa có danh mục dịch vụ số quốc gia (cần ít nhất một dịch vụ cho mỗi kỹ năng số cơ bản). "
                "Hãy chạy `congdongso migrate` để nạp danh mục rồi chạy lại."
            )
        )
    return entries


def _local_time(day: dt.date, minute_of_day: int) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(minute_of_day // 60, minute_of_day % 60), tzinfo=timezone.get_current_timezone()
    )


def _create_households(
    commune: Unit, villages: Sequence[Unit], *, style: VillageStyle, size: DemoSize, seed: int,
    catalogue: Sequence[CatalogueEntry], today: dt.date,
) -> None:
    """Every village of a commune gets its households, in one bulk insert per table for the commune."""
    skill_of = {e.code: e.skill for e in catalogue}
    service_ids = dict(Service.objects.filter(code__in=skill_of).values_list("code", "pk"))
    names = {e.code: e.name for e in catalogue}
    tag_fields = list(TAG_FIELDS.items())
    households, consents, residents, adoptions, follow_ups = [], [], [], [], []
    for village in villages:
        rng = _rng(seed, commune.code, village.name, "households")
        for _index in range(rng.randint(*size.households)):
            plan = household_plan(rng, village_kind=village.kind, catalogue=catalogue, year=today.year)
            skills, nucleus, missing = derived_state(plan, skill_of)
            household_id = new_id()
            households.append(
                (
                    household_id, village.pk, plan.resident_count, plan.head_name, fold(plan.head_name),
                    plan.address_line, plan.has_consent, nucleus, missing,
                    *(tag in plan.tags for tag, _field in tag_fields),
                )
            )
            if plan.has_consent:
                given_at = _local_time(today - dt.timedelta(days=plan.consent_days_ago), rng.randint(480, 1140))
                consents.append(
                    (household_id, plan.head_name, plan.consent_method, list(plan.consent_purposes),
                     CURRENT_NOTICE_VERSION, given_at)
                )
            for person, person_skills in zip(plan.residents, skills, strict=True):
                resident_id = new_id()
                residents.append(
                    (
                        resident_id, household_id, person.name, fold(person.name), person.birth_year, person.sex,
                        person.device, person_skills, len(person_skills) == len(Skill.values),
                    )
                )
                for code in person.uses:
                    since = _local_time(today - dt.timedelta(days=rng.randint(200, 1500)), rng.randint(480, 1260))
                    adoptions.append((resident_id, service_ids[code], AdoptionState.INDEPENDENT, since))
            if plan.request:
                follow_ups.append(
                    FollowUp(
                        village=village, household_id=household_id,
                        reason=_("Hộ nhờ hỗ trợ: %(service)s") % {"service": names[plan.request]},
                        due_on=today + dt.timedelta(days=plan.request_due_in),
                    )
                )
    household_fields = [
        "id", "village", "resident_count", "head_name", "search_name", "address_line", "has_consent", "has_nucleus",
        "missing_skills", *(field for _tag, field in tag_fields),
    ]
    bulk_insert(Household, household_fields, households)
    bulk_insert(ConsentRecord, ["household", "given_by", "method", "purposes", "notice_version", "given_at"], consents)
    bulk_insert(
        Resident,
        ["id", "household", "display_name", "search_name", "birth_year", "sex", "device", "skills", "proficient"],
        residents,
    )
    bulk_insert(Adoption, ["resident", "service", "state", "independent_since"], adoptions)
    FollowUp.objects.bulk_create(follow_ups)


# The outcome buttons of the visit screen, as often as members tap them.
_OUTCOMES = (
    ((Outcome.DONE, True), 35), ((Outcome.DONE, False), 33), ((Outcome.PARTLY, False), 7),
    ((Outcome.NEEDS_FOLLOW_UP, False), 15), ((Outcome.REFUSED, False), 10),
)
_CHANNELS = ((Channel.DOOR, 80), (Channel.EVENT, 10), (Channel.PHONE, 5), (Channel.ZALO, 5))


def _create_assists(
    province: Unit, *, users: DemoUsers, catalogue: Sequence[CatalogueEntry], seed: int, today: dt.date,
    campaign: Campaign | None = None,
) -> None:
    """The member's village over the last five months: its team (the member and the leader logins)
    helped with what the recommendations said, through `assist_record`, oldest first. Help given
    since the campaign started is tagged to it (as the visit screen preselects it)."""
    rng = _rng(seed, "assists")
    households = list(
        Household.objects.filter(village=users.leader_village).select_related("village").order_by("pk")
    )
    visits = []
    for index, household in enumerate(households):
        for _index in range(rng.choices((0, 1, 2, 3, 4), weights=(1, 3, 4, 3, 2))[0]):
            day = today - dt.timedelta(days=rng.randint(1, 150))
            member = users.member if rng.random() < 0.7 else users.leader
            visits.append((_local_time(day, rng.randint(450, 1170)), index, member))
    visits.sort(key=lambda visit: (visit[0], visit[1]))
    rules = rules_in_force(province.pk)
    for occurred_at, index, member in visits:
        household = households[index]
        recommendations = recommendations_for(household, limit=3, rules=rules)
        if not recommendations:
            continue
        service, _reason, resident = recommendations[rng.randrange(len(recommendations))]
        (outcome, independent), = rng.choices([o for o, _w in _OUTCOMES], weights=[w for _o, w in _OUTCOMES])
        (channel,) = rng.choices([c for c, _w in _CHANNELS], weights=[w for _c, w in _CHANNELS])
        assist_record(
            assist_id=new_id(), member=member, household=household, resident=resident, service_codes=[service.code],
            outcome=outcome, channel=channel, occurred_at=occurred_at, independent=independent,
            note=rng.choice(ASSIST_NOTES) if rng.random() < 0.25 else "",
            campaign_id=campaign.pk if campaign is not None and timezone.localtime(occurred_at).date() >= campaign.starts_on else None,
        )


# --- the running campaign -------------------------------------------------------------------------
#
# One province drive in the style of the October/November "ra quân" for National Digital
# Transformation Day: +N VNeID level-2 activations per commune, running over the day of the build.
# The demo member and the commune officers `xa-<code>` go door to door during the drive (the last
# officer types a burst of entries in at once, which the commendation proposal leaves out and flags).

CAMPAIGN_SERVICE = "vneid-level2"
CAMPAIGN_DAYS_BEFORE, CAMPAIGN_DAYS_AFTER = 20, 25
CAMPAIGN_TARGETS = (5, 12)  # per commune, inclusive range
CAMPAIGN_VISITS = (8, 14)  # door-to-door visits of the member and of each commune officer during the drive
CAMPAIGN_BURST = 14  # entries a minute or two apart in one commune: more than the commendation limit


def _create_campaign(province: Unit, communes: Sequence[Unit], *, seed: int, today: dt.date) -> Campaign:
    rng = _rng(seed, "campaign")
    campaign = campaign_create(
        actor=None, unit=province,
        name=_("Ra quân cao điểm kích hoạt định danh điện tử VNeID mức 2"),
        starts_on=today - dt.timedelta(days=CAMPAIGN_DAYS_BEFORE), ends_on=today + dt.timedelta(days=CAMPAIGN_DAYS_AFTER),
        service=Service.objects.filter(code=CAMPAIGN_SERVICE, is_active=True).first(),
        description=_(
            "Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10: các Tổ công nghệ số cộng đồng đến từng nhà, "
            "hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức 2."
        ),
    )
    campaign_targets_set(
        actor=None, campaign=campaign, targets={c.pk: rng.randint(*CAMPAIGN_TARGETS) for c in communes},
    )
    return campaign


def _create_campaign_assists(
    province: Unit, communes: Sequence[Unit], campaign: Campaign, *, users: DemoUsers, seed: int, today: dt.date
) -> None:
    """Door-to-door help during the drive, tagged to it: the demo member in their village, and each
    commune officer `xa-<code>` in their commune."""
    officers = {
        a.unit_id: a.user
        for a in RoleAssignment.objects.filter(
            user__username__startswith=EXTRA_OFFICER_PREFIX, role=Role.COMMUNE_OFFICER, unit__in=communes
        ).select_related("user")
    }
    walkers = [(communes[0], users.member, Household.objects.filter(village=users.leader_village))]
    walkers += [
        (c, officers[c.pk], Household.objects.filter(village__parent=c)) for c in communes if c.pk in officers
    ]
    rules = rules_in_force(province.pk)
    days = max((today - campaign.starts_on).days, 1)
    for index, (commune, member, households) in enumerate(walkers):
        rng = _rng(seed, commune.code, "campaign")
        households = list(households.select_related("village").order_by("pk"))
        burst = index == len(walkers) - 1 and index > 0
        count = CAMPAIGN_BURST if burst else rng.randint(*CAMPAIGN_VISITS)
        picked = rng.sample(households, k=min(count, len(households)))
        burst_day = campaign.starts_on + dt.timedelta(days=rng.randrange(days))
        visits = []
        for n, household in enumerate(picked):
            if burst:
                at = _local_time(burst_day, 19 * 60 + 2 * n)  # typed in one evening, two minutes apart
            else:
                at = _local_time(campaign.starts_on + dt.timedelta(days=rng.randrange(days)), rng.randint(450, 1110))
            visits.append((at, n, household))
        visits.sort(key=lambda visit: (visit[0], visit[1]))
        for occurred_at, _n, household in visits:
            recommendations = recommendations_for(household, limit=5, rules=rules)
            if not recommendations:
                continue
            chosen = next((r for r in recommendations if r.service.code == CAMPAIGN_SERVICE), recommendations[0])
            done = rng.random() < 0.85
            assist_record(
                assist_id=new_id(), member=member, household=household, resident=chosen.resident,
                service_codes=[chosen.service.code], outcome=Outcome.DONE if done else Outcome.NEEDS_FOLLOW_UP,
                channel=Channel.DOOR, occurred_at=occurred_at, independent=done and rng.random() < 0.6,
                campaign_id=campaign.pk,
            )
