"""A campaign's progress per unit is read from tallies, and equals a count of the tagged assists."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.campaigns import selectors
from congdongso.campaigns.models import Campaign, CampaignTarget
from congdongso.campaigns.tests.conftest import assist, days_ago, household
from congdongso.geo.models import Unit
from congdongso.indicators.models import Tally
from congdongso.outreach.models import Assist

TODAY = timezone.localdate


@pytest.fixture
def campaigns(land):
    window = {"starts_on": TODAY() - dt.timedelta(days=10), "ends_on": TODAY() + dt.timedelta(days=10)}
    return {
        "vneid": Campaign.objects.create(name="VNeID mức 2", unit=land["province"],
                                         service=land["catalogue"]["vneid-level2"], **window),
        "any": Campaign.objects.create(name="Mọi dịch vụ", unit=land["province"], **window),
    }


@pytest.fixture
def helped(land, campaigns):
    """A mix: tagged or not, done or not, VNeID or another service, in three villages."""
    homes = {key: household(land[key]) for key in ("a1", "a2", "b1")}
    plan = [
        ("a1", "vneid", "done", ("vneid-level2",)), ("a1", "vneid", "done", ("vneid-level2", "cashless-account")),
        ("a1", "vneid", "refused", ("vneid-level2",)), ("a1", "vneid", "done", ("cashless-account",)),
        ("a2", "vneid", "done", ("vneid-level2",)), ("a2", None, "done", ("vneid-level2",)),
        ("b1", "any", "partly", ("scam-awareness",)), ("b1", "any", "done", ("vneid-level2",)),
        ("b1", "vneid", "needs_follow_up", ("vneid-level2",)),
    ]
    for n, (key, which, outcome, codes) in enumerate(plan):
        assist(land["members"][key], homes[key], codes=codes, outcome=outcome, at=days_ago(1, 8, n),
               campaign=campaigns[which] if which else None)


def _count_facts(campaign, unit):
    tagged = Assist.objects.filter(campaign=campaign, village__path__prefix=unit.path)
    if campaign.service_id:
        return sum(1 for a in tagged.filter(outcome="done") if campaign.service.code in a.services)
    return tagged.count()


@pytest.mark.usefixtures("helped")
@pytest.mark.parametrize("which", ["vneid", "any"])
def test_progress_equals_a_count_of_the_tagged_assists(land, campaigns, which):
    campaign = campaigns[which]
    for key in ("province", "a", "b"):
        board = selectors.board(campaign, land[key])
        for row in [board.total, *board.children]:
            assert row.count == _count_facts(campaign, row.unit), (which, row.unit.name)
    assert selectors.board(campaign, land["province"]).total.count == {"vneid": 3, "any": 2}[which]


@pytest.mark.usefixtures("helped")
def test_progress_is_read_from_tallies_not_from_assists(land, campaigns, django_assert_max_num_queries):
    campaign = campaigns["vneid"]
    metric = f"campaign.{campaign.pk}.service.vneid-level2"
    Tally.objects.filter(unit=land["a"], metric=metric).update(value=41)
    Assist.objects.filter(campaign=campaign).update(campaign=None)  # facts changed behind the tallies' back
    with django_assert_max_num_queries(5):
        board = selectors.board(campaign, land["province"])
    assert {row.unit.pk: row.count for row in board.children} == {land["a"].pk: 41, land["b"].pk: 0}


@pytest.mark.usefixtures("helped")
def test_targets_and_share_reached(land, campaigns):
    campaign = campaigns["vneid"]
    CampaignTarget.objects.create(campaign=campaign, unit=land["a"], target=4)
    CampaignTarget.objects.create(campaign=campaign, unit=land["a1"], target=2)
    board = selectors.board(campaign, land["province"])
    rows = {row.unit.pk: row for row in board.children}
    assert (rows[land["a"].pk].count, rows[land["a"].pk].target, rows[land["a"].pk].percent) == (3, 4, 75.0)
    assert rows[land["b"].pk].target is None and rows[land["b"].pk].percent is None
    # The province has no target of its own: it shows the sum of its communes'.
    assert (board.total.target, board.total.own_target, board.total.percent) == (4, None, 75.0)
    village = {row.unit.pk: row for row in selectors.board(campaign, land["a"]).children}[land["a1"].pk]
    assert (village.count, village.percent, village.reached, village.bar) == (2, 100.0, True, 100)


@pytest.mark.usefixtures("helped")
def test_the_page_draws_a_bar_per_unit_and_drills_down(client, land, campaigns):
    campaign = campaigns["vneid"]
    CampaignTarget.objects.create(campaign=campaign, unit=land["a"], target=6)
    client.force_login(land["province_officer"])
    page = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<progress class="goal') == 2  # the province's total, and commune A's row
    assert f'data-unit="{land["a"].pk}"' in html and 'value="50"' in html
    drill = client.get(reverse("campaigns:unit", args=[campaign.pk, land["a"].pk]))
    assert [row.unit.name for row in drill.context["board"].children] == ["Thôn Đông", "Thôn Tây"]
    assert [row.count for row in drill.context["board"].children] == [2, 1]
    assert isinstance(drill.context["unit"], Unit) and drill.context["board"].total.count == 3
