from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "congdongso.geo"
    label = "geo"
    verbose_name = _("Đơn vị hành chính")
