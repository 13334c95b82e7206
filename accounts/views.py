"""The navbar's language switch: Django's ``set_language``, which for a signed-in user also
stores the choice (``User.language``), so pages and notifications follow it everywhere."""

from django.views import i18n


def set_language(request):
    """POST ``language`` (a code of ``settings.LANGUAGES``) and ``next``: sets the language
    cookie and redirects to ``next`` (Django's view, unchanged for anonymous visitors); a
    signed-in user's ``language`` is updated too. An unknown code changes nothing."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        request.user.remember_language(request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER))
    return response
