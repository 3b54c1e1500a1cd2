"""Models of the catalog app."""

from django.db import models  # noqa: F401
