"""The retention kinds this app registers: feedback contacts, scam-report contacts, the access log.

This app sits at the top of the dependency graph (like `web`): it may import the domain apps whose
data it purges, which keeps those apps free of any knowledge of the schedule.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from congdongso.audit.models import AccessLog
from congdongso.feedback import services as feedback_services
from congdongso.retention.registry import RetentionKind, register
from congdongso.scams.models import Report as ScamReport


def retention_days(name: str, default: int) -> int:
    """The retention of a kind from settings.RETENTION_DAYS (days), with the kind's default."""
    return int(getattr(settings, "RETENTION_DAYS", {}).get(name, default))


# --- feedback contacts: the feedback app's own rules (erased at closing, or after its periods) ------


def _feedback_due(now: dt.datetime) -> int:
    return sum(len(ids) for ids in feedback_services.contacts_due_for_erasure(now=now).values())


def _feedback_purge(now: dt.datetime) -> int:
    return feedback_services.reports_contacts_purge(now=now).total


# --- scam-report contacts: kept N days after the decision (or after receipt while undecided) -------

SCAM_CONTACT_DEFAULT_DAYS = 90


def _scam_contacts_expired(now: dt.datetime) -> QuerySet[ScamReport]:
    cutoff = now - dt.timedelta(days=retention_days("scam_report_contacts", SCAM_CONTACT_DEFAULT_DAYS))
    holding = ScamReport.objects.filter(~Q(contact="") | Q(contact_consent_at__isnull=False))
    return holding.alias(since=Coalesce("decided_at", "created_at")).filter(since__lt=cutoff)


def _scam_contacts_due(now: dt.datetime) -> int:
    return _scam_contacts_expired(now).count()


def _scam_contacts_purge(now: dt.datetime) -> int:
    with transaction.atomic():
        ids = list(_scam_contacts_expired(now).select_for_update().values_list("pk", flat=True))
        return ScamReport.objects.filter(pk__in=ids).update(contact="", contact_consent_at=None)


# --- the access log: who looked at which household, kept for a while then deleted ----------------

ACCESS_LOG_DEFAULT_DAYS = 730


def _access_expired(now: dt.datetime) -> QuerySet[AccessLog]:
    cutoff = now - dt.timedelta(days=retention_days("access_log", ACCESS_LOG_DEFAULT_DAYS))
    return AccessLog.objects.filter(occurred_at__lt=cutoff)


def _access_due(now: dt.datetime) -> int:
    return _access_expired(now).count()


def _access_purge(now: dt.datetime) -> int:
    # A queryset delete: AccessLog.delete() refuses single deletions, the purge is the one way out.
    deleted, _by_model = _access_expired(now).delete()
    return deleted


def register_builtin() -> None:
    register(RetentionKind(
        name="feedback_contacts", label=_("Thông tin liên hệ trong phản ánh, kiến nghị"),
        days=lambda: settings.FEEDBACK_CONTACT_RETENTION_DAYS, due=_feedback_due, purge=_feedback_purge,
    ))
    register(RetentionKind(
        name="scam_report_contacts", label=_("Thông tin liên hệ của người báo lừa đảo"),
        days=lambda: retention_days("scam_report_contacts", SCAM_CONTACT_DEFAULT_DAYS),
        due=_scam_contacts_due, purge=_scam_contacts_purge,
    ))
    register(RetentionKind(
        name="access_log", label=_("Nhật ký xem thông tin hộ"),
        days=lambda: retention_days("access_log", ACCESS_LOG_DEFAULT_DAYS), due=_access_due, purge=_access_purge,
    ))
