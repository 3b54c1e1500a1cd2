"""The materialised path field and its indexed prefix lookup."""

import re

from django.db import models
from django.db.models import Lookup

PATH_PATTERN = re.compile(r"^(/[0-9]+)+/$")


class PathField(models.CharField):
    """A unit's materialised path of ids: "/12/3456/78901/".

    Paths hold only digits and slashes, so a prefix needs no escaping in LIKE or GLOB.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)


@PathField.register_lookup
class PathPrefix(Lookup):
    """`path__prefix="/12/"`: everything in the subtree, answered from the path index.

    SQLite's LIKE is case-insensitive and skips a plain index; GLOB is case-sensitive and uses it.
    On PostgreSQL, LIKE 'x%' uses the varchar_pattern_ops index Django adds for db_index.
    """

    lookup_name = "prefix"

    def process_rhs(self, compiler, connection):
        rhs, params = super().process_rhs(compiler, connection)
        prefix = params[0]
        if not PATH_PATTERN.match(prefix):
            raise ValueError(f"not a unit path: {prefix!r}")
        wildcard = "*" if connection.vendor == "sqlite" else "%"
        return rhs, [prefix + wildcard]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "GLOB" if connection.vendor == "sqlite" else "LIKE"
        return f"{lhs} {operator} {rhs}", [*lhs_params, *rhs_params]
