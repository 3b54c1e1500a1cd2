"""The Permissions-Policy header from settings.PERMISSIONS_POLICY (Django has no setting for it).

Here, not in web, because two places send it: web.middleware.PermissionsPolicyMiddleware and the scam
lookup's fast path (scams.fast_lookup), which sits below web in the import order."""

from django.conf import settings


def permissions_policy_header() -> str:
    """{"camera": [], "fullscreen": ["self"]} -> "camera=(), fullscreen=(self)"."""
    policy = getattr(settings, "PERMISSIONS_POLICY", {}) or {}
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())
