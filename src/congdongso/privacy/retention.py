"""Closed data-subject requests keep who asked only for a while.

A completed or refused request stays as proof of how it was handled (kind, dates, status, outcome),
but the requester's name, phone and own words are blanked RETENTION_DAYS["closed_requests"] days
(default 365) after it closed. Registered with the retention app, so `purge_expired` and its nightly
task cover it.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from congdongso.privacy.models import FINAL_STATUSES, DataSubjectRequest
from congdongso.retention.registry import RetentionKind, register

NAME = "closed_requests"
DEFAULT_DAYS = 365


def closed_requests_days() -> int:
    return int(getattr(settings, "RETENTION_DAYS", {}).get(NAME, DEFAULT_DAYS))


def _expired(now: dt.datetime) -> QuerySet[DataSubjectRequest]:
    cutoff = now - dt.timedelta(days=closed_requests_days())
    holding = ~Q(subject_name="") | ~Q(subject_phone="") | ~Q(details="")
    return DataSubjectRequest.objects.filter(holding, status__in=FINAL_STATUSES, completed_at__lt=cutoff)


def closed_requests_due(now: dt.datetime) -> int:
    return _expired(now).count()


def closed_requests_purge(now: dt.datetime) -> int:
    with transaction.atomic():
        ids = list(_expired(now).select_for_update().values_list("pk", flat=True))
        return DataSubjectRequest.objects.filter(pk__in=ids).update(
            subject_name="", subject_phone="", details="", subject_erased_at=now
        )


def register_closed_requests() -> None:
    register(RetentionKind(
        name=NAME, label=_("Thông tin người yêu cầu trong các yêu cầu về dữ liệu đã đóng"),
        days=closed_requests_days, due=closed_requests_due, purge=closed_requests_purge,
    ))
