"""Rate limits of the public request form; change them with the PRIVACY_RATE_LIMITS setting."""

from congdongso.common.ratelimit import RateLimits

LIMITS = RateLimits(
    namespace="privacy",
    setting="PRIVACY_RATE_LIMITS",
    defaults={
        "submit": (3, 3600),  # requests accepted from one client per hour: a person needs one or two
        "post": (30, 600),  # posts of the form (finding a commune, fixing errors) per 10 minutes
    },
)
allow = LIMITS.allow
exhausted = LIMITS.exhausted
retry_after = LIMITS.retry_after
