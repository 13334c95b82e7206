"""Password rules beyond Django's: its minimum length validator with the message in our
catalogue (Django 5.2's Simplified Chinese catalogue lacks the reworded message, so a
Chinese user read it in English). ``AUTH_PASSWORD_VALIDATORS`` names it."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's: at least ``min_length`` characters (default 8)."""

    def get_error_message(self):
        text = "密码太短：至少需要 %(n)d 个字符。"
        return ngettext(text, text, self.min_length) % {"n": self.min_length}
