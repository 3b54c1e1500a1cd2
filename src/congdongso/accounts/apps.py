from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "congdongso.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self) -> None:
        from congdongso.accounts.models import RoleAssignment
        from congdongso.accounts.services import move_role_assignments
        from congdongso.geo.registry import register_unit_ref_mover

        register_unit_ref_mover(RoleAssignment, "unit", move_role_assignments)
