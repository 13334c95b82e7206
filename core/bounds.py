"""Upper bounds of the counts, durations and amounts people type in, in one place.

A model field takes its bound from here through ``count_validators`` / ``money_validators``
and names a database ``CheckConstraint`` with ``range_constraint``; forms get the same bound
from the model field (``core.forms.model_field``) and model serializers from its validators.
So 2147483648 participants is a field error everywhere (the database's integer would
overflow: a 500), and a value the form lets through is one the database accepts.

The maxima are generous for a county: they catch typos and attacks, not real records.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import CheckConstraint, Q

# People at one event (a drill, a lesson, a counselling group) or on a school's roll: the
# largest school of the banner has about 3,000 students; a county-wide event fits too.
MAX_HEADCOUNT = 100_000
# Seconds of an evacuation: a day is already absurd; anything above is a typo.
MAX_SECONDS = 24 * 3600
# Yuan of one project, expense or hazard's funding: 10 billion (the 2024 fire works: 54.18
# million for the whole banner). Money fields are DecimalField(max_digits=14, places=2).
MAX_YUAN = Decimal("10000000000")


def count_validators(maximum: int, minimum: int = 0) -> list:
    """Validators of a whole-number field from ``minimum`` to ``maximum``."""
    return [MinValueValidator(minimum), MaxValueValidator(maximum)]


def money_validators(minimum: Decimal = Decimal("0")) -> list:
    """Validators of a yuan amount from ``minimum`` to ``MAX_YUAN``."""
    return [MinValueValidator(minimum), MaxValueValidator(MAX_YUAN)]


def range_constraint(name: str, field: str, maximum, minimum=0, *, null: bool = False):
    """A named ``CheckConstraint``: ``minimum <= field <= maximum`` (or NULL when ``null``)."""
    condition = Q(**{f"{field}__gte": minimum, f"{field}__lte": maximum})
    if null:
        condition |= Q(**{f"{field}__isnull": True})
    return CheckConstraint(condition=condition, name=name)
