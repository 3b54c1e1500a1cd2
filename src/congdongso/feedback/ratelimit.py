"""Rate limits of the public feedback pages; change them with the FEEDBACK_RATE_LIMITS setting."""

from congdongso.common.ratelimit import RateLimits

LIMITS = RateLimits(
    namespace="feedback",
    setting="FEEDBACK_RATE_LIMITS",
    defaults={
        "submit": (5, 3600),  # reports accepted from one client per hour
        "post": (30, 600),  # posts of the form (finding a place, fixing errors) per 10 minutes
        "status": (60, 600),  # status look-ups per 10 minutes: codes cannot be enumerated
        "places": (120, 60),  # place search as you type
    },
)
allow = LIMITS.allow
exhausted = LIMITS.exhausted
retry_after = LIMITS.retry_after
