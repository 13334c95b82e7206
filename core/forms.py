"""Form helpers every app's pages share (crispy-bootstrap5 renders every form,
``{{ field|as_crispy_field }}``: no widget is styled by hand): the phone's date picker
(``date_input``), the date field of the accepted range (``DateField``), a model field's
form field with its bounds (``model_field``) and the photo upload field (``PhotosField``:
count and pixel budget here, each photo cleaned later by ``core.images.clean_photo`` in the
service that stores it)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .images import MAX_PHOTOS, PhotoError, check_photo_budget
from .years import validate_date


def date_input():
    """A date field widget that opens the phone's date picker."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date within ``core.years`` (2000-01-01 – 2100-12-31), with the phone's date picker."""

    default_validators = [validate_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", date_input())
        super().__init__(**kwargs)


def model_field(model, name, **kwargs):
    """The form field of ``model``'s field ``name``, bounded as the model is: a number's
    ``min_value``/``max_value`` from its validators (``core.bounds`` and the database's
    integer range), a date a ``DateField`` of the accepted range. ``kwargs`` override."""
    field = model._meta.get_field(name)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs.setdefault("form_class", DateField)
        kwargs.setdefault("widget", date_input())
    elif isinstance(field, (models.IntegerField, models.DecimalField)):
        # ``field.validators`` includes the backend's range (e.g. 2147483647 on PostgreSQL).
        lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
        highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
        if lows:
            kwargs.setdefault("min_value", max(lows))
        if highs:
            kwargs.setdefault("max_value", min(highs))
    return field.formfield(**kwargs)


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
    """Zero to ``MAX_PHOTOS`` uploaded files → a list, within the request's byte and pixel
    budget (``core.images.check_photo_budget``, read from the image headers without
    decoding). Decoding and metadata stripping happen in ``core.images.clean_photo``,
    called by the service."""

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
        files = [super(PhotosField, self).clean(f, initial) for f in files]
        try:
            check_photo_budget(files)
        except PhotoError as exc:
            raise forms.ValidationError(str(exc.message), code="photo_budget") from None
        return files


# --- filter panels ---------------------------------------------------------------------


class RemoteSearchSelect(forms.Select):
    """A select whose options come from ``url`` (JSON ``[{"id", "text"}]`` for ``?q=``) as the
    person types (Tom Select, ``static/js/select.js``). Only the chosen option is rendered,
    so a choice among thousands (a province's schools) never puts them all on the page."""

    def __init__(self, url, attrs=None):
        super().__init__({"data-remote-url": url, **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None:
            wanted = [v for v in value if v and str(v).isdigit()]
            chosen = [(obj.pk, str(obj)) for obj in queryset.filter(pk__in=wanted)]
            blank = getattr(self.choices.field, "empty_label", None) or ""
            self.choices = [("", blank)] + chosen
        return super().optgroups(name, value, attrs)


def enhance_filter_form(form, remote=None):
    """A list's filter form ready for a phone: the phone's date picker on
    date fields, multi-selects searchable (Tom Select), and the fields named in ``remote``
    (name → search URL) searched on the server. Returns ``form``."""
    for name, url in (remote or {}).items():
        field = form.fields[name]
        field.widget = RemoteSearchSelect(url)
        field.widget.choices = field.choices
    for field in form.fields.values():
        _label_blank_choice(field)
        widget = field.widget
        if isinstance(field, forms.DateField) and isinstance(widget, forms.DateInput):
            widget.input_type = "date"
        elif isinstance(widget, forms.SelectMultiple) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            widget.attrs["data-searchable"] = ""
    return form


def _label_blank_choice(field):
    """ "全部" instead of Django's "---------" for a filter's empty choice."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == "---------":
            field.empty_label = gettext("全部")
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        field.choices = [(v, gettext("全部") if v == "" else label) for v, label in field.choices]


def active_filters(form) -> int:
    """How many of ``form``'s fields the query string sets (the panel's badge)."""
    data = form.data
    return sum(
        1
        for name in form.fields
        if any(v for v in (data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]))
    )


class FilterForm(forms.Form):
    """The form of a FilterSet (``Meta.form = FilterForm``): a parameter holding a NUL byte
    (``?school=%00``) is refused with one clear message naming the field, in place of the
    field's own error, which would be garbled (Django's Chinese "不允许是用空字符串") or echo
    the NUL back ("… is not one of the available choices"). HTTP 400 in the API, a form error
    on a page; PostgreSQL (which refuses NUL in text) never sees it."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            data = self.data
            values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
            if any(isinstance(value, str) and "\x00" in value for value in values):
                self._errors.pop(name, None)
                message = _("%(field)s含有无效的空字符，请删除后重试。") % {"field": field.label}
                self.add_error(name, forms.ValidationError(message, "null_characters_not_allowed"))
