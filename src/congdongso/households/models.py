"""Models of the households app."""

from django.db import models  # noqa: F401
