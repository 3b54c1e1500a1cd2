"""System checks for account security settings."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=False)
def demo_hint_only_with_debug(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The demo's code hint gives away the second factor: refuse it anywhere DEBUG is off."""
    if getattr(settings, "TWO_FACTOR_DEMO_HINT", False) and not settings.DEBUG:
        return [
            checks.Error(
                "TWO_FACTOR_DEMO_HINT shows officers' sign-in codes and may only be on with DEBUG.",
                id="congdongso.accounts.E001",
            )
        ]
    return []
