from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScamsConfig(AppConfig):
    name = "congdongso.scams"
    label = "scams"
    verbose_name = _("Phòng chống lừa đảo")
