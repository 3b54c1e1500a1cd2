"""The demo province has one running campaign (VNeID level 2, a target per commune) with demo
assists tagged to it, so its pages show real progress; tallies still equal a rebuild."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from congdongso.accounts.models import User
from congdongso.campaigns import commendations, selectors
from congdongso.campaigns.models import Campaign, CampaignTarget
from congdongso.geo.models import Kind, Level, Unit
from congdongso.geo.services import unit_create
from congdongso.indicators.services import tallies_check
from congdongso.outreach.models import Assist


@pytest.fixture
def demo_province(db, make):
    province = make.province(name="Tỉnh Thử Nghiệm")
    for n, name in enumerate(["Phường Một", "Xã Hai", "Xã Ba", "Xã Bốn"], start=1):
        kind = Kind.WARD if n == 1 else Kind.COMMUNE
        unit_create(level=Level.COMMUNE, kind=kind, code=f"A000{n}", name=name, parent=province, actor_id=None)
    call_command("demo_data", "--province", province.code, stdout=StringIO(), stderr=StringIO())
    return province


def test_one_running_campaign_with_targets_and_tagged_assists(client, demo_province):
    campaign = Campaign.objects.get()
    today = timezone.localdate()
    assert campaign.unit == demo_province and campaign.starts_on < today < campaign.ends_on
    assert campaign.service.code == "vneid-level2"
    communes = list(Unit.objects.filter(parent=demo_province))
    assert set(CampaignTarget.objects.filter(campaign=campaign).values_list("unit_id", flat=True)) == {
        c.pk for c in communes
    }
    tagged = Assist.objects.filter(campaign=campaign)
    assert tagged.count() >= 20
    assert all(campaign.starts_on <= timezone.localtime(a.occurred_at).date() <= today for a in tagged)
    assert not Assist.objects.filter(campaign__isnull=True, occurred_at__date__gte=campaign.starts_on,
                                     member__username="thanhvien").exists()

    rows = selectors.leaderboard(campaign, demo_province)
    assert sum(1 for row in rows if row.count) >= 3  # progress in several communes
    assert selectors.board(campaign, demo_province).total.count == sum(row.count for row in rows)
    assert tallies_check().ok

    proposal = commendations.proposal(demo_province, starts_on=campaign.starts_on, ends_on=today)
    assert any(row.flagged for row in proposal.members)  # the demo's burst, left out
    assert proposal.teams

    client.force_login(User.objects.get(username="tinh"))
    page = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert page.status_code == 200 and page.content.decode().count('<progress class="goal') >= 4
