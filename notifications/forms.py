"""The person's own channel choices (the inbox is always on)."""
from django import forms

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ("email", "webhook")
        widgets = {name: forms.CheckboxInput(attrs={"class": "form-check-input"}) for name in fields}
