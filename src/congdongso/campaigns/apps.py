from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "congdongso.campaigns"
    label = "campaigns"
    verbose_name = _("Chiến dịch")

    def ready(self) -> None:
        from congdongso.campaigns.services import assist_campaign_check
        from congdongso.outreach.registry import register_assist_check

        register_assist_check(assist_campaign_check)

        from congdongso.campaigns.models import CampaignTarget
        from congdongso.campaigns.services import campaign_targets_move
        from congdongso.geo.registry import register_unit_ref_mover

        register_unit_ref_mover(CampaignTarget, "unit", campaign_targets_move)
