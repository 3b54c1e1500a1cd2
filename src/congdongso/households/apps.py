from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "congdongso.households"
    label = "households"
    verbose_name = _("Hộ gia đình và nhân khẩu")

    def ready(self) -> None:
        from congdongso.households.metrics import recount
        from congdongso.indicators.registry import register_metric_source

        register_metric_source("households", recount)
