"""Rate limits of the public scam pages; change them with the SCAMS_RATE_LIMITS setting."""

from congdongso.common.ratelimit import RateLimits

LIMITS = RateLimits(
    namespace="scams",
    setting="SCAMS_RATE_LIMITS",
    defaults={
        "report": (5, 600),
        "check": (30, 600),
        "lookup": (120, 60),
    },
)
allow = LIMITS.allow
retry_after = LIMITS.retry_after
