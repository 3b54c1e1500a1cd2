from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScamsConfig(AppConfig):
    name = "congdongso.scams"
    label = "scams"
    verbose_name = _("Phòng chống lừa đảo")

    def ready(self) -> None:
        from congdongso.scams.metrics import recount
        from congdongso.indicators.registry import register_metric_source

        register_metric_source("scams", recount)
