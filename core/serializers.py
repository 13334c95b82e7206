"""Serializer fields every app's API shares: the date of the accepted range (``DateField``,
``core.years``), a choice's label (``DisplayField``), a model field's serializer field with
its bounds (``model_field``) and the photo list of one request (``PhotoListField``: count
and the byte and pixel budget of ``core.images.check_photo_budget``). Model serializers get
the same date rule and number bounds from the model fields' validators."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .images import MAX_PHOTOS, PhotoError, check_photo_budget
from .years import validate_date


class DateField(serializers.DateField):
    """A date within ``core.years`` (2000-01-01 – 2100-12-31)."""

    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_date]
        super().__init__(**kwargs)


class DateTimeField(serializers.DateTimeField):
    """A date-time within ``core.years``. A value the time zone cannot convert (a naive
    ``0001-01-01``, whose Beijing offset leaves the calendar) is a field error, not a 500."""

    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_date]
        super().__init__(**kwargs)

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except (OverflowError, ValueError):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM]")


class DisplayField(serializers.CharField):
    """The row's ``get_<source>_display()`` (the label of a choice), read-only: as
    ``CharField(source="get_<source>_display")``, without DRF inspecting the method's
    signature on every row (a tenth of a page of 50 rows)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, f"get_{self.source}_display")()


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer whose date-time fields are ``DateTimeField`` above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }


def model_field(model, name, **kwargs):
    """The serializer field a ``ModelSerializer`` would build for ``model``'s field ``name``
    (label, ``min_value``/``max_value``, digits and validators such as the date range come
    from the model field), for plain serializers; ``kwargs`` override."""
    field_class, field_kwargs = serializers.ModelSerializer().build_standard_field(
        name, model._meta.get_field(name)
    )
    return field_class(**{**field_kwargs, **kwargs})


class PhotoListField(serializers.ListField):
    """Up to ``MAX_PHOTOS`` uploaded files within the request's budget; decoding and
    cleaning happen in the service (``core.images.clean_photo``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.FileField())
        kwargs.setdefault("max_length", MAX_PHOTOS)
        kwargs.setdefault("help_text", _("照片文件（JPEG、PNG、WebP、HEIC），可多张。"))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        files = super().to_internal_value(data)
        try:
            check_photo_budget(files)
        except PhotoError as exc:
            raise serializers.ValidationError(str(exc.message), code="photo_budget") from None
        return files
