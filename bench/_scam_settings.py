"""Settings for the server that bench/scam_lookup.py starts: the real settings, DEBUG off.

The per-client lookup limit stays in the request path (its cache counter is part of what is measured)
but is set so high that the load generator, one client on 127.0.0.1, never trips it.
"""

import os

from congdongso.settings import *  # noqa: F403

SCAMS_RATE_LIMITS = {"lookup": (10**9, 60)}

# `scam_lookup.py --conn-max-age N` keeps database connections open across requests (the shipped
# settings close a SQLite connection after every request, so each lookup opens the file and runs the
# PRAGMAs again).
if os.environ.get("SCAM_BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["SCAM_BENCH_CONN_MAX_AGE"])  # noqa: F405
