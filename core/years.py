"""The years and dates the product accepts: a typo such as 0202 or 20250 is a field error
(400 in the API, a form error on the pages), not a query over two millennia or a date the
database or the Beijing calendar cannot hold (0001-01-01, 9999-12-31).

``validate_date`` is the one rule; it sits on every model ``DateField`` (so model forms,
the admin and model serializers apply it) and in ``core.forms.DateField`` and
``core.serializers.DateField`` for the plain forms and serializers.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DATE = datetime.date(FIRST_YEAR, 1, 1)
LAST_DATE = datetime.date(LAST_YEAR, 12, 31)


@deconstructible
class DateRangeValidator:
    """Refuse a date (or the date of a datetime) outside FIRST_DATE–LAST_DATE."""

    message = _("日期须在 %(first)s 至 %(last)s 之间。")
    code = "date_range"

    def __call__(self, value):
        day = value.date() if isinstance(value, datetime.datetime) else value
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
            )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator)


validate_date = DateRangeValidator()
