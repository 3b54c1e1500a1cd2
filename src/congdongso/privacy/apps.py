from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "congdongso.privacy"
    label = "privacy"
    verbose_name = _("Quyền của chủ thể dữ liệu")

    def ready(self) -> None:
        from congdongso.households.selectors import register_hidden_households
        from congdongso.privacy.selectors import without_restricted

        # Restricted households leave every household list in one place (households_visible).
        register_hidden_households(without_restricted)

        from congdongso.privacy.retention import register_closed_requests

        register_closed_requests()
