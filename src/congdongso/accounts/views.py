from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdongso.accounts import selectors, services
from congdongso.accounts.forms import ThrottledLoginForm
from congdongso.accounts.gate import public, scoped
from congdongso.accounts.models import Role

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=ThrottledLoginForm, redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view())


# --- devices -------------------------------------------------------------------------------------------

DEVICES_PAGE_SIZE = 30


@scoped
def devices(request):
    """My phones (last sync, records waiting), and for an officer the phones of the members of the
    units they manage, each with a button to revoke it."""
    scope = selectors.scope_of(request.user)
    managed = Paginator(selectors.devices_managed(request.user).exclude(user=request.user), DEVICES_PAGE_SIZE)
    return render(
        request, "accounts/devices.html",
        {"own": list(selectors.devices_of(request.user)), "page_obj": managed.get_page(request.GET.get("page")),
         "manages": bool(scope.manager_paths) or Role.NATIONAL_ADMIN in scope.roles},
    )


@scoped
@require_POST
def device_revoke(request, device_pk: int):
    device = selectors.device_in_reach_or_404(request.user, device_pk)
    if device.is_revoked:
        messages.info(request, _("Thiết bị này đã bị thu hồi trước đó."))
    else:
        services.device_revoke(device=device, actor_id=request.user.pk)
        messages.success(request, _("Đã thu hồi thiết bị “%(name)s”: thiết bị không đồng bộ được nữa.") % {"name": device})
    return redirect("accounts:devices")
