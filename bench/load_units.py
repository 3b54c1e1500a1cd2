"""How long loading the reference units takes, first and second (idempotent) run."""

import io
import json
import time

from _setup import django_on_fresh_database

django_on_fresh_database()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def run() -> float:
    start = time.perf_counter()
    call_command("load_units", stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)
    return round(time.perf_counter() - start, 2)


first, second = run(), run()
print(json.dumps({"bench": "load_units", "database": connection.vendor, "first_run_s": first, "second_run_s": second}))
