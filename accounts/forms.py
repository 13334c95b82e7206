"""Sign-in forms: Django's, with two refusals that say why: a lock-out after too many wrong
passwords (django-axes) and a report client's account, which is for the API only.

Self-service: the profile form (Django's password change, reset and set-password forms
serve as they are; ``AUTH_PASSWORD_VALIDATORS`` apply)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .lockout import is_locked_out, lockout_message
from .models import User


class SignInMixin:
    api_only_message = _("该账号仅供接口（API）调用，不能登录网页。请使用 API 令牌访问。")

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if is_locked_out(self.request):
                raise forms.ValidationError(lockout_message(), code="locked_out") from None
            raise

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.has_perm("accounts.sign_in_to_web"):
            raise forms.ValidationError(self.api_only_message, code="api_only")


class SignInForm(SignInMixin, AuthenticationForm):
    """The web login (``/accounts/login/``)."""


class AdminSignInForm(SignInMixin, AdminAuthenticationForm):
    """The admin's login (``/admin/login/``)."""


# --- self-service: profile and passwords -------------------------------------------------


class ProfileForm(forms.ModelForm):
    """What a person keeps up to date themselves: name, phone, e-mail (where a password reset
    and e-mail reminders go) and language. Role and scope are set by an admin."""

    class Meta:
        model = User
        fields = ("name", "phone", "email", "language")


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """The admin's "change password" page: a password an admin sets must be changed by its
    holder at the next sign-in."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)
