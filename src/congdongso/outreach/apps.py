from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "congdongso.outreach"
    label = "outreach"
    verbose_name = _("Hỗ trợ tận nhà")

    def ready(self) -> None:
        from congdongso.households.registry import register_anonymiser
        from congdongso.outreach.services import assist_notes_erase

        register_anonymiser(assist_notes_erase)

        from congdongso.outreach.conflicts import sync_payloads_erase

        register_anonymiser(sync_payloads_erase)

        from congdongso.outreach.metrics import recount
        from congdongso.indicators.registry import register_metric_source

        register_metric_source("outreach", recount)
