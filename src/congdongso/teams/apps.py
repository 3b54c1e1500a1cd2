from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "congdongso.teams"
    label = "teams"
    verbose_name = _("Tổ công nghệ số cộng đồng")

    def ready(self) -> None:
        from congdongso.teams.metrics import recount
        from congdongso.indicators.registry import register_metric_source

        register_metric_source("teams", recount)
