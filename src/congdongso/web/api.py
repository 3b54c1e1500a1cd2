"""Administrative units over the API: resolve old/new codes and names, read a unit in scope."""

from django.http import HttpRequest
from ninja import Router, Schema

from congdongso.accounts.selectors import unit_in_scope_or_404
from congdongso.geo import selectors as geo_selectors
from congdongso.teams.selectors import coverage
from congdongso.web.ratelimit import LIMITS

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    kind: str
    parent_id: int | None
    is_current: bool


class CoverageOut(Schema):
    villages: int
    villages_with_team: int
    percent: float | None
    teams: int
    active_teams: int
    members: int
    members_by_affiliation: dict[str, int]


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody


class UnitDetailOut(UnitOut):
    coverage: CoverageOut


def _unit_out(unit) -> dict:
    return {
        "id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level, "kind": unit.kind,
        "parent_id": unit.parent_id, "is_current": unit.is_current,
    }


@router.get(
    "/resolve", response={200: list[UnitOut], 429: ErrorOut}, auth=None,
    summary="Tra mã hoặc tên cũ/mới ra đơn vị hiện hành",
)
def resolve(request: HttpRequest, code: str = "", name: str = "", level: str = "commune", legacy: bool = False):
    """Public reference data: which current unit an old or new code (or name) is today."""
    if not LIMITS.allow(request, "resolve"):
        return LIMITS.too_many_json("resolve")
    if code:
        units = geo_selectors.resolve_code(code[:32], level=level, legacy=legacy or None)
    elif name:
        units = geo_selectors.resolve_name(name[:200], level=level)
    else:
        units = []
    return [_unit_out(unit) for unit in units[:50]]


@router.get("/{unit_id}", response=UnitDetailOut, summary="Một đơn vị trong phạm vi của bạn và độ phủ của tổ")
def get_unit(request: HttpRequest, unit_id: int):
    unit = unit_in_scope_or_404(request.user, unit_id)
    cov = coverage(unit)
    return {
        **_unit_out(unit),
        "coverage": {
            "villages": cov.villages, "villages_with_team": cov.villages_with_team, "percent": cov.percent,
            "teams": cov.teams, "active_teams": cov.active_teams, "members": cov.members,
            "members_by_affiliation": cov.members_by_affiliation,
        },
    }
