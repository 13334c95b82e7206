"""The person's own channel choices (the inbox is always on) and language."""

from django import forms

from accounts.models import User

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    """E-mail and group robot on or off (``NotificationPreference``) and the person's
    language (``User.language``: their inbox, e-mails and pages). ``user`` is the signed-in
    user; a missing language leaves theirs unchanged."""

    language = User._meta.get_field("language").formfield(
        required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    class Meta:
        model = NotificationPreference
        fields = ("email", "webhook")
        widgets = {
            name: forms.CheckboxInput(attrs={"class": "form-check-input"}) for name in fields
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["language"].initial = user.language

    def channel_fields(self):
        return [self[name] for name in self.Meta.fields]

    def save(self, commit=True):
        preference = super().save(commit)
        if commit:
            self.user.remember_language(self.cleaned_data.get("language"))
        return preference
