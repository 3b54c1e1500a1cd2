import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from congdongso.teams import selectors

router = Router(tags=["teams"])


class TeamOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str
    decision_number: str
    decision_date: dt.date | None
    zalo_link: str
    is_active: bool
    member_count: int


class MemberOut(Schema):
    id: int
    display_name: str
    role: str
    affiliation: str
    joined_on: dt.date


class TeamDetailOut(TeamOut):
    members: list[MemberOut]


def _team_out(team, member_count: int) -> dict:
    return {
        "id": team.pk, "name": team.name, "unit_id": team.unit_id, "unit_name": team.unit.name,
        "decision_number": team.decision_number, "decision_date": team.decision_date,
        "zalo_link": team.zalo_link, "is_active": team.is_active, "member_count": member_count,
    }


@router.get("/", response=list[TeamOut], summary="Các tổ trong phạm vi của bạn")
def list_teams(request: HttpRequest, limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    teams = selectors.teams_visible(request.user).order_by("id")[max(offset, 0) : max(offset, 0) + limit]
    return [_team_out(team, team.member_count) for team in teams]


@router.get("/{team_id}", response=TeamDetailOut, summary="Một tổ và các thành viên đang hoạt động")
def get_team(request: HttpRequest, team_id: int):
    team = selectors.team_in_scope_or_404(request.user, team_id)
    members = list(selectors.active_memberships(team))
    return {**_team_out(team, len(members)), "members": members}
