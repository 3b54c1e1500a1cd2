"""The WSGI application: Django, with the public scam lookup answered in front of it.

GET /api/v1/scams/lookup goes to congdongso.scams.fast_lookup first, which answers it as Django's
path would (same status, headers and body; see its docstring) without the middleware stack and
django-ninja, or returns None and Django answers. Every other request goes straight to Django.
"""

import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdongso.settings")
django_application = get_wsgi_application()

from congdongso.scams import fast_lookup  # noqa: E402 - needs the apps loaded

logger = logging.getLogger(__name__)
LOOKUP_PATH = fast_lookup.LOOKUP_PATH
fast_lookup.warm_up()
# Everything loaded so far lives as long as the process: frozen, the collector stops scanning it on
# every full collection (several milliseconds each; a 1,000-event sync allocates enough to trigger them).
gc.collect()
gc.freeze()


def application(environ, start_response):
    if environ.get("PATH_INFO") == LOOKUP_PATH:
        try:
            answer = fast_lookup.answer(environ)
        except Exception:
            # Logged without the request (its query may be someone's number); Django answers instead.
            logger.exception("the scam lookup fast path failed; Django answers this request")
            answer = None
        if answer is not None:
            status, headers, body = answer
            start_response(status, headers)
            return [body]
    return django_application(environ, start_response)
