"""Incremental sync for every list of the API: ``modified_after``, a stable keyset cursor
ordered by (modification time, id), and the model convention the tombstones rely on.

How an app adopts it (one line each; docs/api.md, docs/architecture.md):

- the model inherits ``SyncedModel`` (a ``modified`` field: ``auto_now``, indexed) and names
  its API resource: ``SYNC_RESOURCE = "drill-plans"``. A model that already keeps such a
  field names it instead: ``SYNC_MODIFIED = "updated_at"`` (the hazards). Its deletions
  become tombstones (``notifications.tombstones``) by that name.
- the viewset inherits ``SyncViewSetMixin`` before its DRF base.

A list then answers two ways. Without ``cursor`` and ``modified_after`` it pages by number
as before (``?page=``, ``count`` filled). With either it is a sync feed: rows ordered by
(modified, id), only those after the position, ``count`` null, ``next`` the URL of the next
page or null on the last, and ``cursor`` the position after the page's last row, which the
client keeps for its next pull. Rows modified in the last ``SYNC_SETTLE_SECONDS`` are held
back, so a transaction that stamped its rows before another committed cannot slip behind a
cursor a client already holds.

Errors (400, ``code`` ``invalid_cursor`` / ``invalid_modified_after``): a cursor that does
not decode, a ``modified_after`` that is not an ISO 8601 date-time or lies in the future,
both given at once.
"""

import base64
import binascii
import datetime
import json
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .pagination import Pagination


class SyncedModel(models.Model):
    """A row the API's sync feeds follow: ``modified`` moves on every save, also a
    ``save(update_fields=…)`` that does not name it (bulk ``update()`` must set it itself)."""

    SYNC_RESOURCE: ClassVar[str] = ""
    SYNC_MODIFIED: ClassVar[str] = "modified"

    modified = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "modified"}
        super().save(*args, **kwargs)


class BadSyncParameter(exceptions.ValidationError):
    """A 400 whose body names the parameter and carries a machine-readable ``code``."""

    def __init__(self, name, message, code):
        super().__init__({name: [message]}, code=code)
        self.error_code = code


def settle_seconds() -> float:
    return float(getattr(settings, "SYNC_SETTLE_SECONDS", 2))


def encode_cursor(modified: datetime.datetime, pk) -> str:
    raw = json.dumps([modified.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[datetime.datetime, int] | None:
    """(modified, id) of a cursor; None for the empty cursor (from the beginning). Raises
    ``BadSyncParameter`` for anything else that is not one of ours."""
    if text == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        stamp, pk = json.loads(raw)
        modified = parse_datetime(stamp)
        if modified is None or modified.tzinfo is None or not isinstance(pk, int):
            raise ValueError(text)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        message = _("游标无效，请使用上一页返回的 cursor。")
        raise BadSyncParameter("cursor", message, "invalid_cursor") from None
    return modified, pk


def keyset_q(field: str, position: tuple[datetime.datetime, int | None], *, descending=False) -> Q:
    """Rows after ``position`` (stamp, id) in the order (``field``, id), or (-``field``, -id)
    when ``descending``; without an id, rows after the stamp alone. The bound on ``field``
    alone is redundant but lets the (``field``, id) index start at the position instead of
    filtering its way there."""
    stamp, pk = position
    op = "lt" if descending else "gt"
    if pk is None:
        return Q(**{f"{field}__{op}": stamp})
    return Q(**{f"{field}__{op}e": stamp}) & (
        Q(**{f"{field}__{op}": stamp}) | Q(**{f"pk__{op}": pk})
    )


def parse_modified_after(text: str, now: datetime.datetime) -> datetime.datetime:
    """An aware date-time not after ``now``; a date alone means its midnight (Beijing)."""
    value = parse_datetime(text)
    if value is None:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise BadSyncParameter(
                "modified_after",
                _("modified_after 应为 ISO 8601 日期时间，例如 2025-06-01T08:00:00+08:00。"),
                "invalid_modified_after",
            ) from None
        value = datetime.datetime.combine(day, datetime.time.min)
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    if value > now:
        raise BadSyncParameter(
            "modified_after", _("modified_after 不能晚于当前时间。"), "invalid_modified_after"
        )
    return value


class SyncPagination(Pagination):
    """Page numbers for browsing (``core.pagination``), the keyset feed for sync (see the
    module docstring)."""

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.keyset = "cursor" in params or "modified_after" in params
        if not self.keyset:
            self.cursor = None
            return super().paginate_queryset(queryset, request, view)
        if "cursor" in params and "modified_after" in params:
            raise BadSyncParameter(
                "cursor", _("cursor 与 modified_after 只能给出其一。"), "invalid_cursor"
            )
        return self._keyset_page(queryset, request)

    def _keyset_page(self, queryset, request):
        self.request = request
        now = timezone.now()
        field = getattr(queryset.model, "SYNC_MODIFIED", "modified")
        params = request.query_params
        if "cursor" in params:
            position = decode_cursor(params["cursor"])
        else:
            position = (parse_modified_after(params["modified_after"], now), None)
        queryset = queryset.filter(
            **{f"{field}__lte": now - datetime.timedelta(seconds=settle_seconds())}
        )
        if position is not None:
            queryset = queryset.filter(keyset_q(field, position))
        size = self.get_page_size(request) or settings.REST_FRAMEWORK["PAGE_SIZE"]
        rows = list(queryset.order_by(field, "pk")[: size + 1])
        self.has_more = len(rows) > size
        rows = rows[:size]
        if rows:
            self.cursor = encode_cursor(getattr(rows[-1], field), rows[-1].pk)
        elif "cursor" in params:
            self.cursor = params["cursor"]
        else:
            self.cursor = encode_cursor(position[0], 0) if position else ""
        return rows

    def get_paginated_response(self, data):
        if not self.keyset:
            return Response(
                {
                    "count": self.page.paginator.count,
                    "next": self.get_next_link(),
                    "previous": self.get_previous_link(),
                    "cursor": None,
                    "results": data,
                }
            )
        url = self.request.build_absolute_uri()
        next_url = None
        if self.has_more:
            next_url = replace_query_param(
                remove_query_param(url, "modified_after"), "cursor", self.cursor
            )
        return Response(
            {
                "count": None,
                "next": next_url,
                "previous": None,
                "cursor": self.cursor,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        nullable_uri = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "cursor", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "Rows in the list; null in the sync feed.",
                },
                "next": nullable_uri,
                "previous": nullable_uri,
                "cursor": {
                    "type": "string",
                    "nullable": True,
                    "description": "Sync feed: the position after this page; keep it and "
                    "pass it as ?cursor= on the next pull. Null when paging by number.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "modified_after",
                "required": False,
                "in": "query",
                "description": "Sync feed: rows modified after this ISO 8601 date-time "
                "(not in the future), ordered by (modified, id).",
                "schema": {"type": "string", "format": "date-time"},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Sync feed: the cursor of the previous page or pull; empty "
                "for the beginning. Not together with modified_after.",
                "schema": {"type": "string"},
            },
        ]


class SyncViewSetMixin:
    """Put first in a list viewset's bases: the sync feed on its list (the model follows
    ``SyncedModel``'s convention)."""

    pagination_class = SyncPagination
