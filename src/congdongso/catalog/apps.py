from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "congdongso.catalog"
    label = "catalog"
    verbose_name = _("Danh mục dịch vụ số")

    def ready(self) -> None:
        from congdongso.catalog.services import merchant_account_erase
        from congdongso.households.registry import register_anonymiser

        register_anonymiser(merchant_account_erase)

        from congdongso.catalog.models import Skill
        from congdongso.households.registry import register_skill_names

        # Households pages name a resident's skills without importing catalog.
        register_skill_names(Skill.choices)

        from congdongso.catalog.metrics import household_rows
        from congdongso.households.metrics import register_household_recount

        # Adoption is a fact about a household: counted (and recounted) with it.
        register_household_recount(household_rows)

        from congdongso.catalog.selectors import service_names
        from congdongso.indicators.registry import register_service_names

        register_service_names(service_names)
