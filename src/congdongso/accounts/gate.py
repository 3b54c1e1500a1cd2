"""The access gate: every view is declared public or scoped, and undeclared views answer 404.

`@public` marks a page anyone may open. `@scoped` requires a login; the view then fetches objects
only through selectors that filter by the user's scope, so out-of-scope objects answer 404.
The Django admin guards itself (staff only) and the JSON API declares auth per operation; both are
recognised by their URL namespace. A test walks every URL pattern and fails on an undeclared view.
The gate also applies the session rules (second-factor step, officers' session expiry: session_rules).
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest

logger = logging.getLogger(__name__)

PUBLIC = "public"
SCOPED = "scoped"
SELF_GUARDED_NAMESPACES = ("admin", "api")


def public(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.access = PUBLIC
    return wrapper


def scoped(view: Callable) -> Callable:
    wrapper = login_required(view)
    wrapper.access = SCOPED
    return wrapper


def declared_access(view: Callable, namespace: str) -> str | None:
    access = getattr(view, "access", None)
    if access is None and hasattr(view, "view_class"):
        access = getattr(view.view_class, "access", None)
    if access is None and namespace.split(":")[0] in SELF_GUARDED_NAMESPACES:
        access = namespace.split(":")[0]
    return access


class AccessGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        if declared_access(view_func, namespace) is None:
            logger.error("view without declared access: %s", getattr(view_func, "__qualname__", view_func))
            raise Http404
        # Imported here: session_rules reaches the models, which are not ready when settings load this.
        from congdongso.accounts import session_rules

        return session_rules.check(request, view_func, namespace)
