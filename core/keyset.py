"""Paging a long HTML list (the hazard ledger: a million rows at a province) at the speed of
its index: no count of a long list, page numbers within ``COUNT_CAP`` rows, and keyset pages
beyond them and for the last page.

``list_page(queryset, params, per_page, field)`` reads a queryset ordered by
(-``field``, -id) and answers a page. Each page reads ``per_page`` + 1 rows, so whether a
next page exists is always known. The total (``CappedPaginator``) is, without reading more:

- exact when the page saw the end of the list (a short list: no count query);
- else exact when a count that stops at ``EXACT_UP_TO`` + 1 rows (no ORDER BY) stays within
  ``EXACT_UP_TO``: a small list is always counted, whatever the planner thinks (a table
  never ANALYZEd has a default guess);
- else PostgreSQL's estimate (``EXPLAIN``'s row count, "约 12,000 条"), never below the rows
  known to exist (``EXACT_UP_TO`` + 1, the rows up to the page read): counting those rows
  would cost more than the page itself (on another database: a count that stops at
  ``COUNT_CAP``, "共 10,000+ 条");
- unknown ("共 50+ 条": the rows up to this page, and more) when the caller says an estimate
  would be wrong (``count=False``: a text search, whose row estimate is off by 1,000×).

Rows known to exist are only those a page read proves: the rows of a page with rows and the
rows before it; an empty page (past the end) proves none.

Parameters:

- ``?page=N`` (default 1): the N-th page by OFFSET, as Django's paginator. A page number
  past the numbered pages is still read (old links keep working); a page past the end is
  an empty page, never an error (one whose OFFSET would pass ``MAX_OFFSET`` is not read);
  past the numbered pages, "next" goes on by cursor.
- ``?after=<cursor>``: the page after the row of that cursor; ``?before=<cursor>``: the page
  before it; ``?before=`` (empty): the last page. A cursor is ``core.sync``'s (the row's
  ``field`` and id), so each keyset page reads ``per_page`` + 1 index entries wherever it is.

``walk`` (optional): the same rows as ``queryset`` by a formulation that is cheap to read in
order and expensive to exhaust (a text search without its index). It is read first over the
next ``WALK_ROWS`` rows of the table from the page's start (backwards for ``before``); when
they hold the whole page, that is the page, else ``queryset`` is read. A common term is so
found in the first rows of the ledger order instead of sorting every match the index
returns.

A cursor that is not ours raises ``core.sync.BadSyncParameter`` (the view answers 400 with
``STALE_LINK``); ``check_cursors`` checks them for a view that reads no page (the export).
"""

import json
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext_lazy

from .sync import decode_cursor, encode_cursor, keyset_q

COUNT_CAP = 10_000
EXACT_UP_TO = 1_000  # a list of at most this many rows is counted exactly
# PostgreSQL's bigint: a larger OFFSET is an error ("bigint out of range"), and no list has
# that many rows, so such a page is empty without asking.
MAX_OFFSET = 2**63 - 1
WALK_ROWS = 2_000  # rows of the table a ``walk`` reads at most before the index is used
# What a page reader sees for a cursor that is not ours: they followed a link (the API's
# wording names its parameter).
STALE_LINK = gettext_lazy("分页链接已失效，请回到第一页。")


def check_cursors(params) -> None:
    """Raises ``BadSyncParameter`` when ``after`` or ``before`` of ``params`` (a QueryDict)
    is not a cursor of ours (the empty one is)."""
    for name in ("after", "before"):
        if name in params:
            decode_cursor(params[name])


def planner_rows(queryset) -> int | None:
    """The number of rows PostgreSQL's planner expects ``queryset`` to return (one
    ``EXPLAIN``, nothing executed); None on another database."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    if queryset.query.is_empty():  # .none(): nothing to ask
        return 0
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class CappedPaginator(Paginator):
    """Django's paginator over a total that is exact, estimated or unknown (module doc):
    ``count`` (at most ``cap``) makes the page numbers, ``capped`` says there are more rows
    than numbered pages, ``estimated`` that ``about`` is the planner's estimate, ``unknown``
    that only ``count`` rows (up to the page read) are known to exist."""

    def __init__(self, object_list, per_page, cap: int | None = None, estimate: bool = True):
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.estimate = estimate
        self.known: int | None = None  # the exact total, when a page saw the end
        self.at_least = 0  # rows known to exist: those up to the page read, if it had rows

    @cached_property
    def _total(self) -> tuple[int, str]:
        if self.known is not None:
            return self.known, "exact"
        if not self.estimate:
            return self.at_least, "unknown"
        # Unordered: any n rows count the same, and the cheapest index may serve.
        rows = self.object_list.order_by()
        counted = rows[: EXACT_UP_TO + 1].count()
        if counted <= EXACT_UP_TO:
            return counted, "exact"
        planned = planner_rows(self.object_list)
        if planned is None:  # not PostgreSQL: no estimate to ask for
            return rows[: self.cap + 1].count(), "exact"
        return max(planned, counted, self.at_least), "estimated"

    @cached_property
    def count(self) -> int:
        return min(self._total[0], self.cap)

    @property
    def capped(self) -> bool:
        return self._total[0] > self.cap or self.unknown

    @property
    def estimated(self) -> bool:
        return self._total[1] == "estimated"

    @property
    def unknown(self) -> bool:
        return self._total[1] == "unknown"

    @property
    def about(self) -> int:
        """The estimate rounded to two significant digits (12,345 → 12,000)."""
        rows = self._total[0]
        step = 10 ** max(0, len(str(rows)) - 2)
        return round(rows / step) * step


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


def list_page(
    queryset, params, per_page: int, field: str, *, walk=None, count: bool = True
) -> ListPage:
    """The page ``params`` (a QueryDict) asks for of ``queryset`` (ordered by -field, -id);
    ``walk`` and ``count`` as the module doc says."""
    paginator = CappedPaginator(queryset, per_page, estimate=count)
    if "after" in params or "before" in params:
        return _keyset_page(paginator, params, field, walk)
    return _numbered_page(paginator, params.get("page"), field, walk)


def _numbered_page(paginator: CappedPaginator, number, field: str, walk) -> ListPage:
    try:
        number = max(1, int(number or 1))
    except ValueError:
        number = 1  # as Django's get_page: a page that is not a number is the first
    size = paginator.per_page
    start = (number - 1) * size
    if start > MAX_OFFSET:
        rows = []
    elif (walked := _walked(walk, field, None, start + size + 1)) is not None:
        rows = walked[start:]
    else:
        rows = list(paginator.object_list[start:][: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    if not has_next and (rows or number == 1):  # the end is on this page: the exact total
        paginator.known = start + len(rows)
    # An empty page says only that the list ends before it: it proves no skipped row.
    paginator.at_least = start + len(rows) if rows else 0
    page = ListPage(rows, paginator, number=number, has_previous=number > 1, has_next=has_next)
    if has_next and number >= paginator.num_pages:  # past the numbered pages: by keyset
        page.next_cursor = _cursor(rows[-1], field)
    return page


def _keyset_page(paginator: CappedPaginator, params, field: str, walk) -> ListPage:
    size, queryset = paginator.per_page, paginator.object_list
    if "after" in params:
        position = decode_cursor(params["after"])
        rows = _walked(walk, field, position, size + 1)
        if rows is None:
            if position is not None:
                queryset = queryset.filter(keyset_q(field, position, descending=True))
            rows = list(queryset[: size + 1])
        has_next, has_previous = len(rows) > size, position is not None
        rows = rows[:size]
    else:
        position = decode_cursor(params["before"])  # empty: the last page
        rows = _walked(walk, field, position, size + 1, backwards=True)
        if rows is None:
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


def _walked(walk, field: str, position, wanted: int, backwards: bool = False) -> list | None:
    """The first ``wanted`` rows of ``walk`` after ``position`` (None: from the start; from
    the end when ``backwards``, oldest first) found among the next ``WALK_ROWS`` rows of the
    table, or None when those rows hold fewer (then only the index can say which come next)."""
    if walk is None or wanted > WALK_ROWS:
        return None
    table = walk.model._default_manager.order_by(f"-{field}", "-pk")
    if backwards:
        walk, table = walk.reverse(), table.reverse()
    if position is not None:
        after = keyset_q(field, position, descending=not backwards)
        walk, table = walk.filter(after), table.filter(after)
    edge = next(iter(table.values_list(field, "pk")[WALK_ROWS - 1 : WALK_ROWS]), None)
    if edge is not None:  # rows from the start to the edge row, both included
        stamp, pk = edge
        op = "gt" if not backwards else "lt"
        walk = walk.filter(
            Q(**{f"{field}__{op}": stamp}) | Q(**{field: stamp, f"pk__{op}e": pk}),
            **{f"{field}__{op}e": stamp},  # the index's range (redundant)
        )
    rows = list(walk[:wanted])
    return rows if len(rows) == wanted or edge is None else None


def _cursor(row, field: str) -> str:
    return encode_cursor(getattr(row, field), row.pk)
