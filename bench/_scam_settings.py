"""Settings for the server that bench/scam_lookup.py starts: the real settings, DEBUG off.

The per-client lookup limit stays in the request path (its cache counter is part of what is measured)
but is set so high that the load generator, one client on 127.0.0.1, never trips it.
"""

import os

from congdongso.settings import *  # noqa: F403

SCAMS_RATE_LIMITS = {"lookup": (10**9, 60)}

# `scam_lookup.py --conn-max-age N` changes how long database connections stay open (seconds).
if os.environ.get("SCAM_BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["SCAM_BENCH_CONN_MAX_AGE"])  # noqa: F405

# The bench's variants: no caches ("no-cache": neither the API's answer cache nor the lookup's
# memory of parsed inputs), the fast path off ("django").
if os.environ.get("SCAM_BENCH_CACHES") == "off":
    SCAMS_LOOKUP_CACHE_SECONDS = 0
    SCAMS_LOOKUP_PARSE_CACHE_SIZE = 0
if os.environ.get("SCAM_BENCH_FAST_PATH") == "off":
    SCAMS_LOOKUP_FAST_PATH = False
