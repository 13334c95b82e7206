"""Form helpers every app's pages share: Bootstrap 5 widget classes (``style_form``), the
phone's date picker (``date_input``) and the photo upload field (``PhotosField``, cleaned
later by ``core.images.clean_photo`` in the service that stores the photos)."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .images import MAX_PHOTOS


def style_form(form):
    """Give every widget its Bootstrap 5 class (form-control, form-select, form-check-input)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
        ):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


def date_input():
    """A date field widget that opens the phone's date picker."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultiplePhotoInput(forms.FileInput):
    """A file input that takes several photos; on a phone it offers the rear camera."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


# Lazy, so the help text follows the language of each request.
_photos_help = lazy(
    lambda: gettext("可一次选择多张，最多 %(n)d 张；JPEG、PNG、HEIC 均可。") % {"n": MAX_PHOTOS},
    str,
)


class PhotosField(forms.FileField):
    """Zero to ``MAX_PHOTOS`` uploaded files → a list. Decoding and metadata stripping happen
    in ``core.images.clean_photo``, called by the service."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("照片"))
        kwargs.setdefault("help_text", _photos_help())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS})
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(PhotosField, self).clean(f, initial) for f in files]
