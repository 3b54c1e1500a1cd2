"""A batch remembers unit paths while it expands counts into ancestors; a merge inside the same batch
moves units, and what is counted after it lands under the new parents (the table equals a rebuild)."""

import datetime as dt

import pytest

from congdongso.geo.services import units_merge
from congdongso.indicators.models import Tally
from congdongso.indicators.services import tallies_check
from congdongso.indicators.writer import add, batch


def _value(unit, metric: str) -> int:
    return Tally.objects.filter(unit=unit, period="", metric=metric).values_list("value", flat=True).first() or 0


@pytest.mark.django_db
def test_counts_after_a_merge_in_the_same_batch_go_under_the_new_commune(make, monkeypatch):
    from congdongso.indicators import registry

    # Only the rows this test adds exist as facts: a source that recounts them.
    facts: list = []
    monkeypatch.setattr(registry, "_sources", {**registry._sources, "test": lambda prefixes: list(facts)})

    province = make.province()
    old, new = make.commune(province, name="Xã Cũ"), make.commune(province, name="Xã Mới")
    village = make.village(old, name="Thôn Giữa")
    with batch():
        facts.append((village.pk, "", "test.count", 1))
        add([(village.pk, "", "test.count", 1)])
        units_merge(sources=[old], target=new, effective_date=dt.date.today(), actor_id=None)
        facts.append((village.pk, "", "test.count", 1))
        add([(village.pk, "", "test.count", 1)])

    assert _value(new, "test.count") == 2
    assert _value(old, "test.count") == 0
    assert _value(province, "test.count") == 2
    assert tallies_check().ok
