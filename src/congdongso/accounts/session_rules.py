"""What a signed-in session may do: the second-factor step and the expiry of officers' sessions.

At sign-in (any path through `django.contrib.auth.login`: our login page, the admin's) the session
records when it started and whether the user must still give a code. Until the code is given the
session is half signed in: the access gate lets it reach only the views marked with
`allowed_before_second_factor` (the code page, enrolment, logout) and sends everything else there;
for the JSON API the request simply counts as anonymous.

Officers' sessions (the roles that must use a second factor) also end after a spell of inactivity
and, whatever the activity, some hours after sign-in: a borrowed or forgotten office computer does
not stay open.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from congdongso.accounts import twofactor

# Session keys (the session store is server-side; the browser only holds its id).
SIGNED_IN_AT = "cds_signed_in_at"
SEEN_AT = "cds_seen_at"
STRICT = "cds_strict"  # the officer rules apply: second factor required, short expiry
PENDING = "cds_second_factor_pending"
# Last-seen is written at most this often, so a busy officer does not cost a session write per request.
SEEN_RESOLUTION_SECONDS = 60

API_NAMESPACE = "api"


def allowed_before_second_factor(view: Callable) -> Callable:
    """Mark a view a half-signed-in session may reach (the code step itself, enrolment, logout)."""
    view.allowed_before_second_factor = True
    return view


def start(request: HttpRequest, user) -> None:
    """Called at every sign-in (the `user_logged_in` signal): a new session starts unverified."""
    now = int(time.time())
    strict = twofactor.is_required_for(user)
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session[STRICT] = strict
    request.session[PENDING] = strict or twofactor.is_enrolled(user)


def mark_verified(request: HttpRequest) -> None:
    """The code was right: the session now counts as signed in. A new session key, as at sign-in, so an id
    seen while half signed in is worth nothing."""
    request.session[PENDING] = False
    request.session.cycle_key()


def is_pending(request: HttpRequest) -> bool:
    return bool(request.session.get(PENDING))


def on_user_logged_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start(request, user)


def check(request: HttpRequest, view_func: Callable, namespace: str) -> HttpResponse | None:
    """Run by the access gate before every view of a signed-in session."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        # No session cookie, so nobody is signed in. Reading request.user would load the session and
        # add "Vary: Cookie" to every anonymous answer (public pages, the cached scam lookup).
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if SIGNED_IN_AT not in session:
        # A session from before these rules (or made some other way): judge it as a new sign-in.
        start(request, user)
    elif not session.get(STRICT) and twofactor.is_required_for(user):
        # Made an officer while signed in as a member: from now on held to the officers' rules.
        start(request, user)
    now = int(time.time())
    if session.get(STRICT) and _expired(session, now):
        return _end_session(request, namespace)
    if now - int(session.get(SEEN_AT, 0)) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
    if not session.get(PENDING) or getattr(view_func, "allowed_before_second_factor", False):
        return None
    if namespace.split(":")[0] == API_NAMESPACE:
        request.user = AnonymousUser()
        return None
    target = "accounts:two_factor" if twofactor.is_enrolled(user) else "accounts:two_factor_enrol"
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def _expired(session, now: int) -> bool:
    idle = now - int(session.get(SEEN_AT, 0))
    age = now - int(session.get(SIGNED_IN_AT, 0))
    return idle > settings.OFFICER_SESSION_IDLE_SECONDS or age > settings.OFFICER_SESSION_MAX_SECONDS


def _end_session(request: HttpRequest, namespace: str) -> HttpResponse | None:
    logout(request)
    if namespace.split(":")[0] == API_NAMESPACE:
        return None  # now anonymous: the API answers 401 and the phone asks to sign in again
    messages.info(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
