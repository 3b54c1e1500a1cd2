"""Models of the outreach app."""

from django.db import models  # noqa: F401
