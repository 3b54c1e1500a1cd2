"""Rate limits of the public pages and API operations of the web app; change them with the
WEB_RATE_LIMITS setting."""

from congdongso.common.ratelimit import RateLimits

LIMITS = RateLimits(
    namespace="web",
    setting="WEB_RATE_LIMITS",
    defaults={
        "resolve": (120, 60),  # unit look-ups by old or new code or name, per minute
    },
)
