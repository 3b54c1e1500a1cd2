"""`{% pwa_strings %}`: the Vietnamese texts the offline scripts show, as one json_script block.

The scripts (web/static/web/pwa/*.js) hold no user-visible text: every sentence comes from here,
marked for translation like any template text. Placeholders are written `{n}`, `{time}`, ...
"""

from django import template
from django.utils.html import json_script

from congdongso.accounts.selectors import scope_of
from congdongso.web.pwa import offline_strings, outcome_effects

register = template.Library()


@register.simple_tag
def pwa_strings() -> str:
    return json_script(offline_strings(), "pwa-strings")


@register.simple_tag
def visit_outcomes() -> str:
    """What each outcome button of the visit screen records (outreach.forms.OUTCOME_EFFECT)."""
    return json_script(outcome_effects(), "visit-outcomes")


@register.simple_tag(takes_context=True)
def offline_app(context) -> bool:
    """Members and team leaders work in villages, often without signal: their pages carry the offline
    app (service worker, sync bar, a copy of their households). Officers' scopes are too large to copy."""
    from congdongso.web.views import FIELD_ROLES

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    roles = scope_of(user).roles
    return bool(roles) and roles <= FIELD_ROLES
