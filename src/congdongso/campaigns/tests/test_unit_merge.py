"""A commune merging into another takes its campaigns and targets along: targets add up on the
commune it merges into, progress is recounted, and help in its villages can still be tagged."""

import datetime as dt

from django.utils import timezone

from congdongso.campaigns import selectors
from congdongso.campaigns.models import Campaign, CampaignTarget
from congdongso.campaigns.tests.conftest import assist, days_ago, household
from congdongso.geo.services import units_merge
from congdongso.indicators.services import tallies_check


def test_merging_communes_adds_up_targets_and_keeps_progress_true(land):
    window = {"starts_on": timezone.localdate() - dt.timedelta(days=5),
              "ends_on": timezone.localdate() + dt.timedelta(days=5)}
    province_drive = Campaign.objects.create(name="Ra quân tỉnh", unit=land["province"], **window)
    commune_drive = Campaign.objects.create(name="Ra quân xã Bình Minh", unit=land["b"], **window)
    CampaignTarget.objects.create(campaign=province_drive, unit=land["a"], target=10)
    CampaignTarget.objects.create(campaign=province_drive, unit=land["b"], target=5)
    CampaignTarget.objects.create(campaign=commune_drive, unit=land["b1"], target=3)
    assist(land["members"]["a1"], household(land["a1"]), campaign=province_drive, at=days_ago(1))
    assist(land["members"]["b1"], household(land["b1"]), campaign=province_drive, at=days_ago(1))

    units_merge(sources=[land["b"]], target=land["a"], effective_date=timezone.localdate(), actor_id=None)

    assert dict(CampaignTarget.objects.filter(campaign=province_drive).values_list("unit_id", "target")) == {
        land["a"].pk: 15
    }
    commune_drive.refresh_from_db()
    assert commune_drive.unit_id == land["a"].pk
    board = selectors.board(province_drive, land["province"])
    assert [(row.unit.pk, row.count, row.target) for row in board.children] == [(land["a"].pk, 2, 15)]
    assert tallies_check().ok
    # Bình Minh's village now lies in An Bình: its help still counts for the moved commune drive.
    land["b1"].refresh_from_db()
    assist(land["members"]["b1"], household(land["b1"], head="Lê Thị Bảy"), campaign=commune_drive, at=days_ago(1, 10))
    assert selectors.board(commune_drive, land["a"]).total.count == 1
