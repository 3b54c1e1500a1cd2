from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "congdongso.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from congdongso.accounts import checks, session_rules  # noqa: F401 (checks registers itself)
        from congdongso.accounts.models import RoleAssignment
        from congdongso.accounts.services import move_role_assignments
        from congdongso.geo.registry import register_unit_ref_mover

        register_unit_ref_mover(RoleAssignment, "unit", move_role_assignments)
        # Every sign-in (our login page, the admin's) starts a session that still owes its second factor.
        user_logged_in.connect(session_rules.on_user_logged_in, dispatch_uid="congdongso.accounts.session_rules")
