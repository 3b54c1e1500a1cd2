"""Assists that raise a resident's adoption or open a follow-up take the sync's hot path, all at once,
and leave exactly what assist_submit leaves one by one: the same adoption (state, first help,
independent since), the same skills, nucleus, follow-ups and tallies, in the order sent. Only a
"done" that closes a household's open follow-ups goes through the services."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.catalog.models import Adoption
from congdongso.common.ids import new_id
from congdongso.households.models import Household, Resident
from congdongso.indicators.models import Tally
from congdongso.indicators.services import tallies_check
from congdongso.outreach import sync
from congdongso.outreach.models import Assist, FollowUp
from congdongso.outreach.services import assist_submit
from congdongso.outreach.tests import sync_helpers as s
from congdongso.outreach.tests.builders import ONE_PER_SKILL, make_household

Rollback = type("Rollback", (Exception,), {})
EVERY_SKILL = list(ONE_PER_SKILL.values())


def _snapshot(ids, households):
    return {
        "assists": {a["id"]: {k: v for k, v in a.items() if k != "received_at"}
                    for a in Assist.objects.filter(pk__in=ids).values()},
        "audits": sorted(AuditEvent.objects.filter(object_id__in=[str(i) for i in ids]).values_list(
            "actor_id", "action", "object_type", "object_id", "unit_id", "details"), key=str),
        "tallies": sorted(Tally.objects.values_list("unit_id", "period", "metric", "value")),
        "adoption": sorted(Adoption.objects.values_list(
            "resident_id", "service__code", "state", "first_assisted_at", "independent_since"), key=str),
        "residents": sorted(Resident.objects.filter(household__in=households).values_list(
            "pk", "skills", "proficient"), key=str),
        "households": sorted(Household.objects.filter(pk__in=households).values_list(
            "pk", "has_nucleus", "missing_skills"), key=str),
        "follow_ups": sorted(FollowUp.objects.values_list(
            "household_id", "village_id", "reason", "status", "created_from_id", "closed_by_id", "due_on"), key=str),
    }


@pytest.mark.django_db
def test_adoption_raised_in_one_go_equals_one_by_one(client, place, catalogue, monkeypatch):
    member = place["member"]
    client.force_login(member)
    named, (first, second) = make_household(
        place["village"], residents=(("Trần Văn Một", 1970, "smartphone"), ("Trần Thị Hai", 1995, "smartphone"))
    )
    bare, (nameless,) = make_household(place["village"], consent=False)
    followed, (third,) = make_household(place["village"], head="Lý Văn Ba")
    again, _people = make_household(place["village"], head="Đỗ Thị Bốn")
    base = timezone.now() - dt.timedelta(days=3)
    plans = [
        # Guided, then on their own, then guided again: never down; first help and independence kept.
        (named, first, ["vneid-level2"], "partly", False),
        (named, first, ["vneid-level2", "cashless-account"], "done", True),
        (named, first, ["vneid-level2"], "done", False),
        # The second resident learns every skill in this batch: the household gets a digital nucleus.
        *[(named, second, [code], "done", True) for code in EVERY_SKILL],
        (bare, nameless, ["scam-awareness"], "partly", False),
        (bare, None, ["telehealth"], "done", True),  # no resident: nobody's adoption moves
        (bare, None, ["online-shopping", "cashless-account"], "partly", False, 12),  # back on a chosen day
        (named, first, ["online-shopping"], "refused", False),
        # A follow-up opens and the resident is guided (hot path); a "done" for them closes the
        # follow-up through the services, which must find both already written; the next "done" is plain.
        (followed, None, ["vneid-level2"], "needs_follow_up", False),
        (followed, third, ["vneid-level2"], "partly", False),
        (followed, third, ["vneid-level2"], "done", False),
        (followed, third, ["telehealth"], "done", True),
        # Opened and closed in the same batch, with nothing else in between.
        (again, None, ["scam-awareness"], "needs_follow_up", False),
        (again, None, ["scam-awareness"], "done", False),
    ]
    # Times out of order: the order sent decides, as it does one by one.
    events = [
        (new_id(), *plan[:5], base + dt.timedelta(minutes=(7 * n) % 11),
         timezone.localdate() + dt.timedelta(days=plan[5]) if len(plan) > 5 else None)
        for n, plan in enumerate(plans)
    ]
    ids = [e[0] for e in events]
    households = [named.pk, bare.pk, followed.pk, again.pk]

    try:
        with transaction.atomic():
            for event_id, hh, resident, codes, outcome, independent, occurred, back_on in events:
                assist_submit(
                    assist_id=event_id, member=member, household=hh, resident=resident, service_codes=codes,
                    outcome=outcome, occurred_at=occurred, independent=independent, follow_up_on=back_on,
                )
            expected = _snapshot(ids, households)
            raise Rollback
    except Rollback:
        pass
    assert Assist.objects.count() == 0 and Adoption.objects.filter(state="independent").count() == 0

    slow = []
    through_services = sync._slow_assist

    def watched(context, event):
        slow.append(event.id)
        through_services(context, event)

    monkeypatch.setattr(sync, "_slow_assist", watched)
    batch = [
        {"id": str(event_id), "type": "assist", "occurred_at": occurred.isoformat(), "payload": {
            "household_id": str(hh.pk), "resident_id": str(resident.pk) if resident else None, "services": codes,
            "outcome": outcome, "independent": independent, "follow_up_on": back_on.isoformat() if back_on else None,
        }}
        for event_id, hh, resident, codes, outcome, independent, occurred, back_on in events
    ]
    assert s.statuses(s.post(client, batch)) == ["accepted"] * len(batch)
    assert slow == [ids[-4], ids[-1]]  # the closings; the raises and the openings took the hot path
    got = _snapshot(ids, households)
    for part in expected:
        assert got[part] == expected[part], part
    assert Household.objects.get(pk=named.pk).has_nucleus
    assert FollowUp.objects.filter(status="open").count() == 1 and FollowUp.objects.count() == 3
    assert tallies_check().ok


@pytest.mark.django_db
def test_a_raised_adoption_comes_back_in_the_feed(client, place, catalogue, monkeypatch):
    from congdongso.outreach import sync_changes

    monkeypatch.setattr(sync_changes, "MARGIN", dt.timedelta(0))
    client.force_login(place["member"])
    household, (person,) = make_household(place["village"])
    guided = s.assist(household, person, outcome="partly", minutes_ago=20)
    first = s.post(client, [guided]).json()
    assert Adoption.objects.get(resident=person).state == "assisted"
    quiet = s.post(client, [], cursor=first["cursor"]).json()
    assert quiet["changes"]["households"] == []

    alone = s.assist(household, person, outcome="done", independent=True, minutes_ago=10)
    after = s.post(client, [alone], cursor=quiet["cursor"]).json()
    assert [h["id"] for h in after["changes"]["households"]] == [str(household.pk)]
    assert after["changes"]["adoption"] == [{"r": str(person.pk), "s": "vneid-level2", "st": "independent"}]
