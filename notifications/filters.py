"""The FilterSet of the API's deletions feed (``/api/v1/deletions/?resource=``)."""

import django_filters
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm

from . import tombstones
from .models import Tombstone


def resource_choices() -> list[tuple[str, str]]:
    """The synced resources (every model's ``SYNC_RESOURCE``) and ``*`` (scope resets)."""
    names = sorted(model.SYNC_RESOURCE for model in tombstones.synced_models())
    return [(name, name) for name in [*names, Tombstone.RESET]]


class TombstoneFilter(django_filters.FilterSet):
    """``resource``: one synced resource's tombstones, with the resets (``*``) a client of
    any resource must see. An unknown resource (``abc``) is a 400 naming the allowed ones,
    never a silently empty list."""

    resource = django_filters.ChoiceFilter(
        choices=resource_choices, method="filter_resource", label=_("资源")
    )

    class Meta:
        model = Tombstone
        fields: list[str] = []
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ", ".join(name for name, _label in resource_choices())
        message = gettext("资源只能是以下之一：%(choices)s。") % {"choices": allowed}
        self.filters["resource"].extra["error_messages"] = {"invalid_choice": message}

    def filter_resource(self, queryset, name, value):
        return queryset.filter(resource__in=[value, Tombstone.RESET])
