"""`path__prefix` answers "everything under X" exactly, from the path index, on both databases."""

import re

import pytest
from django.db import connection

from congdongso.geo.models import Kind, Level, Unit


def _province_with_id(pk: int) -> Unit:
    """A province with a chosen id, so a sibling's path can share a prefix with another's."""
    return Unit.objects.create(
        pk=pk, level=Level.PROVINCE, kind=Kind.PROVINCE, code=f"PX{pk}", name=f"Tỉnh {pk}",
        search_name=f"tinh {pk}", path=f"/{pk}/", depth=1,
    )


@pytest.fixture
def look_alike_trees(make):
    """Province P (/p/) with a commune and two villages, and province Q whose id is p followed by 2."""
    p = make.province()
    commune = make.commune(p)
    villages = [make.village(commune), make.village(commune)]
    q = _province_with_id(int(f"{p.pk}2"))
    q_commune = make.commune(q)
    q_village = make.village(q_commune)
    assert q.path.startswith(p.path.rstrip("/"))  # "/p2/" starts with "/p"
    return {"p": p, "commune": commune, "villages": villages, "q": q, "q_units": [q, q_commune, q_village]}


@pytest.mark.django_db
def test_prefix_returns_exactly_the_subtree(look_alike_trees):
    p, commune, villages = look_alike_trees["p"], look_alike_trees["commune"], look_alike_trees["villages"]
    expected = {p.pk, commune.pk, *(v.pk for v in villages)}
    assert set(Unit.objects.filter(path__prefix=p.path).values_list("pk", flat=True)) == expected
    assert set(Unit.objects.subtree(p).values_list("pk", flat=True)) == expected
    assert set(Unit.objects.subtree(commune).values_list("pk", flat=True)) == {commune.pk, *(v.pk for v in villages)}
    assert list(Unit.objects.subtree(villages[0]).values_list("pk", flat=True)) == [villages[0].pk]
    q_ids = {u.pk for u in look_alike_trees["q_units"]}
    assert set(Unit.objects.subtree(look_alike_trees["q"]).values_list("pk", flat=True)) == q_ids


@pytest.mark.django_db
def test_prefix_through_a_relation_and_combined_with_or(look_alike_trees, make):
    p, q = look_alike_trees["p"], look_alike_trees["q"]
    team_p = make.team(look_alike_trees["villages"][0])
    make.team(look_alike_trees["q_units"][2])
    from congdongso.teams.models import Team

    assert list(Team.objects.filter(unit__path__prefix=p.path)) == [team_p]
    both = Unit.objects.filter(path__prefix=p.path) | Unit.objects.filter(path__prefix=q.path)
    assert both.count() == 4 + 3


@pytest.mark.parametrize("bad", ["/1", "1/", "/1/%", "/1/*", "", "/a/", "/1//"])
@pytest.mark.django_db
def test_prefix_refuses_anything_but_a_unit_path(bad: str):
    with pytest.raises(ValueError):
        list(Unit.objects.filter(path__prefix=bad))


@pytest.mark.django_db
def test_prefix_query_uses_the_path_index(look_alike_trees):
    query = Unit.objects.filter(path__prefix=look_alike_trees["p"].path)
    if connection.vendor == "sqlite":
        assert " GLOB " in str(query.query)
        plan = query.explain()
        assert re.search(r"SEARCH geo_unit USING (COVERING )?INDEX geo_unit_path\w*", plan), plan
    elif connection.vendor == "postgresql":
        assert " LIKE " in str(query.query)
        with connection.cursor() as cursor:
            # A handful of rows: let the planner show which index it can use rather than scan.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
        # The varchar_pattern_ops index Django adds for db_index, turned into a range by the planner.
        assert re.search(r"Index (Only )?Scan (using|on) geo_unit_path_\w+_like", plan), plan
        assert "~>=~" in plan, plan
    else:  # pragma: no cover - the suite runs on SQLite and PostgreSQL only
        pytest.skip(f"no plan check for {connection.vendor}")
