"""How many days a commune has to answer each kind of report (calendar days from submission).

The table is data: a deployment changes it with the FEEDBACK_SLA_DAYS setting ({category: days});
categories it leaves out keep these defaults. A scam report is the most urgent (money may still be
stopped); a home visit comes next, so that a resident who asked for help is not left waiting.
"""

import datetime as dt

from django.conf import settings

from congdongso.feedback.models import Category

DEFAULT_SLA_DAYS: dict[str, int] = {
    Category.SCAM: 2,
    Category.HOME_VISIT: 3,
    Category.PAYMENT: 5,
    Category.PUBLIC_SERVICES: 5,
    Category.CONNECTIVITY: 7,
    Category.OTHER: 10,
    Category.SUGGESTION: 15,
}


def sla_days(category: str) -> int:
    overrides = getattr(settings, "FEEDBACK_SLA_DAYS", {}) or {}
    return int(overrides.get(category, DEFAULT_SLA_DAYS[category]))


def due_on(category: str, submitted_on: dt.date) -> dt.date:
    return submitted_on + dt.timedelta(days=sla_days(category))
