from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "congdongso.geo"
    label = "geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self) -> None:
        from congdongso.geo.metrics import recount
        from congdongso.indicators.registry import register_metric_source

        register_metric_source("geo", recount)
