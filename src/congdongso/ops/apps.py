from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operating the platform: backup and restore of the database (management commands only)."""

    name = "congdongso.ops"
    verbose_name = _("Vận hành")
