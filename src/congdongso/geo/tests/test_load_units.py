import json
from io import StringIO

import pytest
from django.core.management import call_command

from congdongso.geo.models import Level, Unit, UnitLink
from congdongso.geo.selectors import resolve_code, resolve_name

EXPECTED = {
    "provinces": 34, "communes": 3321, "villages": 0,
    "legacy_provinces": 63, "legacy_districts": 696, "legacy_communes": 10051,
}


def _load() -> dict:
    out = StringIO()
    call_command("load_units", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db
def test_load_units_reports_the_official_counts_and_is_idempotent():
    assert _load() == EXPECTED
    units, links = Unit.objects.count(), UnitLink.objects.count()
    snapshot = set(Unit.objects.values_list("id", "code", "name", "path", "parent_id"))

    assert _load() == EXPECTED
    assert (Unit.objects.count(), UnitLink.objects.count()) == (units, links)
    assert set(Unit.objects.values_list("id", "code", "name", "path", "parent_id")) == snapshot

    # Every unit has a path that ends in its own id and starts with its parent's path.
    parent_paths = dict(Unit.objects.values_list("id", "path"))
    for pk, path, parent_id, depth in Unit.objects.values_list("id", "path", "parent_id", "depth"):
        assert path.endswith(f"/{pk}/")
        assert path.count("/") - 1 == depth
        if parent_id:
            assert path == f"{parent_paths[parent_id]}{pk}/"

    # Legacy commune Phường Trúc Bạch (00004, Ba Đình district) is today Phường Ba Đình (00004).
    (ba_dinh,) = resolve_code("00004", level=Level.COMMUNE, legacy=True)
    assert ba_dinh.name == "Phường Ba Đình" and ba_dinh.is_current
    assert [u.name for u in resolve_name("Phường Trúc Bạch", level=Level.COMMUNE)] == ["Phường Ba Đình"]
    # Bà Rịa - Vũng Tàu became part of Hồ Chí Minh City.
    assert [u.code for u in resolve_name("ba ria vung tau", level=Level.PROVINCE)] == ["79"]
    assert [u.code for u in resolve_code("77", level=Level.PROVINCE, legacy=True)] == ["79"]
