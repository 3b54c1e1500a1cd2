"""Models of the scams app."""

from django.db import models  # noqa: F401
