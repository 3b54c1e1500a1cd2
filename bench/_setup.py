"""Bench helpers: a throwaway database (SQLite under a temp dir, or DATABASE_URL) and a timer."""

import os
import tempfile
import time
from collections.abc import Callable


def django_on_fresh_database() -> None:
    os.environ.setdefault("CONGDONGSO_VAR", tempfile.mkdtemp(prefix="congdongso-bench-"))
    os.environ.setdefault("CONGDONGSO_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdongso.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Best wall time in milliseconds over `repeat` runs."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return round(min(timings), 2)
