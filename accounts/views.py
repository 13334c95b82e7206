"""Sign-in and the navbar's language switch.

``SignInView`` is Django's login view with our form (lock-out and API-only accounts refused
with a message, ``accounts.forms``) and a limit of ``LOGIN_RATE_LIMIT`` attempts per client
address, whatever user name they name (429, the form shown again with a message).

Self-service: ``ProfileView`` (name, phone, e-mail, language), Django's password change
(which also ends a forced change, ``accounts.middleware.ForcePasswordChangeMiddleware``) and
password reset by e-mail (the link works once: it signs the password hash it replaces).

``set_language`` is Django's, which for a signed-in user also stores the choice
(``User.language``), so pages and notifications follow it everywhere."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.generic import UpdateView

from core.clientip import client_ip
from core.exceptions import throttled_message
from core.ratelimit import over_rate_limit

from . import forms
from .forms import SignInForm
from .middleware import set_language_cookie


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


class ProfileView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    """``/accounts/profile/``: the signed-in person's own name, phone, e-mail and language."""

    form_class = forms.ProfileForm
    template_name = "registration/profile.html"
    success_url = reverse_lazy("profile")
    success_message = _("个人资料已保存。")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        response = super().form_valid(form)
        set_language_cookie(response, form.cleaned_data["language"])  # pages follow at once
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's; a successful change ends a forced change (``must_change_password``)."""

    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        form.user.must_change_password = False
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's: a one-time link by e-mail (``EMAIL_BACKEND``: the console in development).
    At most ``PASSWORD_RESET_RATE_LIMIT`` requests per client address."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def post(self, request, *args, **kwargs):
        if over_rate_limit(f"reset-rate:{client_ip(request)}", settings.PASSWORD_RESET_RATE_LIMIT):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, str(throttled_message(None)))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's: a link used once, expired (``PASSWORD_RESET_TIMEOUT``) or altered shows a
    page that says so; the new password also ends a forced change."""

    def form_valid(self, form):
        form.user.must_change_password = False
        return super().form_valid(form)
