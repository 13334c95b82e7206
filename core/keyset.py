"""Paging a long HTML list (the hazard ledger: a million rows at a province) at the speed of
its index: a count that stops at ``COUNT_CAP`` ("共 10,000+ 条"), page numbers within it, and
keyset pages beyond it and for the last page.

``list_page(queryset, params, per_page, field)`` reads a queryset ordered by
(-``field``, -id) and answers a page:

- ``?page=N`` (default 1): the N-th page by OFFSET, as Django's paginator. A page number
  past the numbered pages of a capped count is still read (old links keep working); a page
  past the end is an empty page, never an error.
- ``?after=<cursor>``: the page after the row of that cursor; ``?before=<cursor>``: the page
  before it; ``?before=`` (empty): the last page. A cursor is ``core.sync``'s (the row's
  ``field`` and id), so each keyset page reads ``per_page`` + 1 index entries wherever it is.

A cursor that is not ours raises ``core.sync.BadSyncParameter`` (the view answers 400 with
``STALE_LINK``); ``check_cursors`` checks them for a view that reads no page (the export).
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import InvalidPage, Paginator
from django.utils.translation import gettext_lazy

from .sync import decode_cursor, encode_cursor, keyset_q

COUNT_CAP = 10_000
# What a page reader sees for a cursor that is not ours: they followed a link (the API's
# wording names its parameter).
STALE_LINK = gettext_lazy("分页链接已失效，请回到第一页。")


def check_cursors(params) -> None:
    """Raises ``BadSyncParameter`` when ``after`` or ``before`` of ``params`` (a QueryDict)
    is not a cursor of ours (the empty one is)."""
    for name in ("after", "before"):
        if name in params:
            decode_cursor(params[name])


class CappedPaginator(Paginator):
    """Django's paginator whose count stops at ``cap``: ``capped`` says there are more rows
    (one ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, not a count of the whole table)."""

    def __init__(self, object_list, per_page, cap: int | None = None):
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _seen(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._seen, self.cap)

    @property
    def capped(self) -> bool:
        return self._seen > self.cap


@dataclass
class ListPage:
    """One page of a list: its rows, the paginator (``count``, ``capped``, the page range),
    its number (None on a keyset page) and the cursors of the neighbouring pages."""

    object_list: list
    paginator: CappedPaginator
    number: int | None = None
    has_previous: bool = False
    has_next: bool = False
    previous_cursor: str | None = None  # ?before=
    next_cursor: str | None = None  # ?after=

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int | None:
        return self.number - 1 if self.number and self.number > 1 else None

    @property
    def next_page_number(self) -> int | None:
        numbered = self.number and self.has_next and self.next_cursor is None
        return self.number + 1 if numbered else None


def list_page(queryset, params, per_page: int, field: str) -> ListPage:
    """The page ``params`` (a QueryDict) asks for of ``queryset`` (ordered by -field, -id)."""
    paginator = CappedPaginator(queryset, per_page)
    if "after" in params or "before" in params:
        return _keyset_page(paginator, params, field)
    return _numbered_page(paginator, params.get("page"), field)


def _numbered_page(paginator: CappedPaginator, number, field: str) -> ListPage:
    try:
        number = max(1, int(number or 1))
    except ValueError:
        number = 1  # as Django's get_page: a page that is not a number is the first
    try:
        rows = list(paginator.page(number).object_list)
    except InvalidPage:
        # Past the numbered pages: read by OFFSET if the count was capped (there may be
        # rows), otherwise there is nothing there.
        start = (number - 1) * paginator.per_page
        rows = (
            list(paginator.object_list[start : start + paginator.per_page])
            if (paginator.capped)
            else []
        )
    last_numbered = number >= paginator.num_pages
    page = ListPage(rows, paginator, number=number, has_previous=number > 1)
    if rows and (not last_numbered or paginator.capped):
        page.has_next = True
        if last_numbered:  # beyond the count: go on by keyset
            page.next_cursor = _cursor(rows[-1], field)
    return page


def _keyset_page(paginator: CappedPaginator, params, field: str) -> ListPage:
    size, queryset = paginator.per_page, paginator.object_list
    if "after" in params:
        position = decode_cursor(params["after"])
        if position is not None:
            queryset = queryset.filter(keyset_q(field, position, descending=True))
        rows = list(queryset[: size + 1])
        has_next, has_previous = len(rows) > size, position is not None
        rows = rows[:size]
    else:
        position = decode_cursor(params["before"])  # empty: the last page
        if position is not None:
            queryset = queryset.filter(keyset_q(field, position))
        rows = list(queryset.reverse()[: size + 1])
        has_previous, has_next = len(rows) > size, position is not None
        rows = rows[:size][::-1]
    page = ListPage(rows, paginator, has_previous=has_previous and bool(rows))
    page.has_next = has_next and bool(rows)
    if rows:
        page.previous_cursor = _cursor(rows[0], field) if page.has_previous else None
        page.next_cursor = _cursor(rows[-1], field) if page.has_next else None
    return page


def _cursor(row, field: str) -> str:
    return encode_cursor(getattr(row, field), row.pk)
