"""Signed-in users see the site in their own language (``User.language``).

``LocaleMiddleware`` picks the language from the cookie or the browser; this middleware,
placed after ``AuthenticationMiddleware``, then activates the signed-in user's stored
language instead, so it applies from the first page after login on any device. The language
cookie is brought in line on the way out, so the pages after signing out stay in it too.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import translation


def user_language(request):
    """The language of the user signed in with this browser session, as a supported code;
    None when anonymous, for an API client (a DRF view sets ``request.user`` from a token:
    no cookie for it), or for a code no longer in ``settings.LANGUAGES``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = getattr(request, "session", None)
    if session is None or str(session.get(SESSION_KEY)) != str(user.pk):
        return None
    try:
        return translation.get_supported_language_variant(user.language)
    except LookupError:
        return None


def set_language_cookie(response, code):
    """The cookie Django's ``set_language`` sets, with the same settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = user_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Read again: the view may have signed the user in or out, or changed the language.
        language = user_language(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language and request.COOKIES.get(cookie) != language and cookie not in response.cookies:
            set_language_cookie(response, language)
        return response


class ForcePasswordChangeMiddleware:
    """A user whose password an admin set or an import created (``must_change_password``)
        is sent to the password change page (which says why) from every web page until they
    change it. Sign-out,
        the language switch, static files and the API (token clients) stay open."""

    OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/api/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path(), reverse("password_change"), "next")
        return self.get_response(request)
