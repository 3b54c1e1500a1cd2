from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "congdongso.retention"
    label = "retention"
    verbose_name = _("Thời hạn lưu trữ")

    def ready(self) -> None:
        # The kinds this app knows; other apps (privacy, for closed cases) call registry.register in
        # their own ready().
        from congdongso.retention import kinds

        kinds.register_builtin()
