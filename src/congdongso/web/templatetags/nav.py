"""What the header shows to whom."""

from django import template

from congdongso.accounts.models import MANAGER_ROLES
from congdongso.accounts.selectors import scope_of

register = template.Library()


@register.simple_tag(takes_context=True)
def manages_units(context) -> bool:
    """Officers (commune, province, national) see the data-protection pages in the header; the scope is
    cached per request, so this costs no query on pages that already read it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and scope_of(user).roles & set(MANAGER_ROLES))
