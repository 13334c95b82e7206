"""Sign-in and the navbar's language switch.

``SignInView`` is Django's login view with our form (lock-out and API-only accounts refused
with a message, ``accounts.forms``) and a limit of ``LOGIN_RATE_LIMIT`` attempts per client
address, whatever user name they name (429, the form shown again with a message).

``set_language`` is Django's, which for a signed-in user also stores the choice
(``User.language``), so pages and notifications follow it everywhere."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.views import i18n

from core.clientip import client_ip
from core.exceptions import throttled_message
from core.ratelimit import over_rate_limit

from .forms import SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if over_rate_limit(f"login-rate:{client_ip(request)}", settings.LOGIN_RATE_LIMIT):
            # Not bound: the password is not checked, so the attempt neither counts nor signs in.
            form = self.form_class(request, initial={"username": request.POST.get("username")})
            form.cleaned_data = {}
            form.add_error(None, str(throttled_message(None)))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def set_language(request):
    """POST ``language`` (a code of ``settings.LANGUAGES``) and ``next``: sets the language
    cookie and redirects to ``next`` (Django's view, unchanged for anonymous visitors); a
    signed-in user's ``language`` is updated too. An unknown code changes nothing."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        request.user.remember_language(request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER))
    return response
