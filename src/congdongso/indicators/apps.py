from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "congdongso.indicators"
    label = "indicators"
    verbose_name = _("Chỉ tiêu và số liệu tổng hợp")

    def ready(self) -> None:
        from congdongso.geo.registry import keep_unit_ref
        from congdongso.indicators.models import ReportJob, Tally

        # Tallies follow a merge through the recount of the merged subtrees (geo.services), not by
        # re-pointing rows: a retired unit's rows go to zero and are removed there.
        keep_unit_ref(Tally, "unit")
        # A report job describes the unit it was made for: history.
        keep_unit_ref(ReportJob, "unit")
