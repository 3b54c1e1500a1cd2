"""Scoped reads at one province's scale: 100 communes x 30 villages, a team on 80% of villages.

Figures: subtree count by path prefix, a unit's coverage, coverage of every child, and the first
page of a commune officer's team list. Load: one province; the other 33 are loaded too, so the
path index has to do its job.
"""

import io
import json
import random

from _setup import best_of, django_on_fresh_database

django_on_fresh_database()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from congdongso.accounts.models import Role  # noqa: E402
from congdongso.accounts.services import user_create  # noqa: E402
from congdongso.geo.models import Kind, Level, Unit  # noqa: E402
from congdongso.geo.services import VillageSpec, villages_create_many  # noqa: E402
from congdongso.teams.models import Membership, Team  # noqa: E402
from congdongso.teams.selectors import child_coverage, coverage, teams_visible  # noqa: E402

COMMUNES, VILLAGES_PER_COMMUNE, TEAM_SHARE, MEMBERS_PER_TEAM = 100, 30, 0.8, 5

call_command("load_units", stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)
province = Unit.objects.current().get(level=Level.PROVINCE, code="01")
communes = list(Unit.objects.current().filter(parent=province).order_by("code")[:COMMUNES])
villages = villages_create_many(
    specs=[VillageSpec(c, f"Thôn {n}", Kind.THON) for c in communes for n in range(1, VILLAGES_PER_COMMUNE + 1)],
    actor_id=None,
)
rng = random.Random(7)
teams = Team.objects.bulk_create(
    [Team(unit=v, name=f"Tổ {v.name}") for v in villages if rng.random() < TEAM_SHARE], batch_size=1000
)
Membership.objects.bulk_create(
    [
        Membership(team=t, display_name=f"Thành viên {i}", joined_on="2026-01-01", affiliation="other")
        for t in teams
        for i in range(MEMBERS_PER_TEAM)
    ],
    batch_size=2000,
)
officer = user_create(
    username="bench-officer", password="bench-password-123", display_name="bench", role=Role.COMMUNE_OFFICER,
    unit=communes[0], actor_id=None,
)

figures = {
    "bench": "scope_queries",
    "database": connection.vendor,
    "load": f"1 province, {COMMUNES} communes x {VILLAGES_PER_COMMUNE} villages, {len(teams)} teams",
    "subtree_count_ms": best_of(5, lambda: Unit.objects.subtree(province).count()),
    "province_coverage_ms": best_of(5, lambda: coverage(province)),
    "province_child_coverage_ms": best_of(5, lambda: child_coverage(province)),
    "commune_coverage_ms": best_of(5, lambda: coverage(communes[0])),
    "officer_team_page_ms": best_of(5, lambda: list(teams_visible(officer).order_by("unit__name", "name")[:25])),
}
print(json.dumps(figures))
