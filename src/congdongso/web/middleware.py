"""Middleware of the web app: the language (Vietnamese unless the user picked another with the
switcher), and the Permissions-Policy header."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from congdongso.common.permissions_policy import permissions_policy_header


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is ignored.

    Officers often run browsers set up in English; the platform still opens in Vietnamese. The
    language cookie written by /i18n/setlang/ (the switcher in the header) is the only way to
    another language.
    """

    def process_request(self, request):
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy (Django has no setting for it): browser features the site never uses
    (camera, microphone, location...) are refused to every page, so injected code cannot ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header()

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
