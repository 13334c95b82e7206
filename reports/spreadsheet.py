"""Spreadsheets a clerk hands upward as they are: one streamed worksheet per export.

``write_workbook(file, sheets)`` writes an .xlsx with openpyxl's write-only mode (rows go to
disk as they come: memory stays flat for a province's ledger). Each sheet has a title row
naming what was exported, the filter and the export time; a bold, frozen header row with
filter buttons (autofilter); column widths that fit Chinese text; dates as dates; amounts as
numbers in a yuan format; text that looks like a formula as a plain text cell (quote prefix:
no visible apostrophe, never evaluated).

A column is a ``Column(label, kind, width)``; ``kind`` decides the cell: ``text``,
``long`` (wider text), ``date``, ``datetime``, ``yuan`` (a number, "¥#,##0.00"),
``wan`` (万元, two decimals), ``int``, ``number`` (one decimal), ``bool`` (是/否).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# A spreadsheet runs a cell starting with one of these as a formula (full-width forms too:
# WPS and Excel with an IME convert them).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FORMULA_STARTS = frozenset(FORMULA_PREFIXES)  # each prefix is one character
# ASCII digits, the whole text (``$`` would also match before a final newline).
PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
# What openpyxl refuses (IllegalCharacterError): C0 controls except tab, newline and CR.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "yuan": '"¥"#,##0.00',
    "wan": "#,##0.00",
    "int": "0",
    "number": "0.0",
}
WIDTHS = {"text": 16, "long": 40, "date": 12, "datetime": 17, "yuan": 16, "wan": 14}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Typed:
    """A value with its own cell kind, in a column of mixed kinds (a figures table)."""

    value: Any
    kind: str


@dataclass(frozen=True)
class Column:
    label: Any  # a (lazy) translated string
    kind: str = "text"
    width: int | None = None


def without_controls(value: str) -> str:
    """Vertical tab and form feed (Word's line and page breaks) become newlines; other
    XML-illegal control characters go."""
    return XML_ILLEGAL.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", value)


def looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet would run ``value`` as a formula (a plain number would not)."""
    return value.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(value)


def local_naive(value: datetime.datetime) -> datetime.datetime:
    """An aware time as naive Beijing wall-clock time, to the second."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_width(column: Column) -> int:
    return max(column.width or WIDTHS.get(column.kind, 10), display_width(str(column.label)) + 4)


class SheetWriter:
    """One worksheet of a write-only workbook; ``append`` each row's values, then ``close``."""

    def __init__(self, workbook: Workbook, title: str, columns: Sequence[Column], caption: str):
        self.sheet = workbook.create_sheet(title=_sheet_title(title))
        self.columns = columns
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column_width(column)
        self.sheet.freeze_panes = "A3"  # the title and header rows stay in view
        self.sheet.append([self._styled(caption, TITLE_FONT)])
        self.sheet.append([self._header(column) for column in columns])
        self.rows = 0

    def append(self, values: Sequence[Any]) -> None:
        self.sheet.append([self.cell(c, v) for c, v in zip(self.columns, values, strict=True)])
        self.rows += 1

    def close(self) -> None:
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A2:{last}{self.rows + 2}"

    def cell(self, column: Column, value: Any) -> Any:
        """The cell for ``value`` in ``column`` (plain values where no format is needed)."""
        if value is None or value == "":
            return None
        if isinstance(value, Typed):
            return self._formatted(value.value, value.kind)
        if column.kind == "bool" or isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, datetime.datetime):
            return self._formatted(local_naive(value), "datetime")
        if isinstance(value, datetime.date):
            return self._formatted(value, "date")
        if isinstance(value, (int, float, Decimal)):
            kind = column.kind if column.kind in FORMATS else None
            return self._formatted(value, kind) if kind else value
        return self._text(str(value))

    def _text(self, value: str) -> WriteOnlyCell | str:
        if value[:1] not in FORMULA_STARTS and not XML_ILLEGAL.search(value):
            return value  # most text: nothing to clean (tested first, in C)
        value = without_controls(value)
        if not looks_like_formula(value):
            return value
        # A text cell always (openpyxl would write "=…" as a formula) with Excel's quote
        # prefix: shown as typed, kept as text when edited, never evaluated.
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    def _formatted(self, value: Any, kind: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = FORMATS[kind]
        return cell

    def _styled(self, value: str, font: Font) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=without_controls(value))
        cell.data_type = "s"
        cell.font = font
        return cell

    def _header(self, column: Column) -> WriteOnlyCell:
        cell = self._styled(str(column.label), HEADER_FONT)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        return cell


def _sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Sheet"


def caption(what: str, filters: Iterable[str], now: datetime.datetime) -> str:
    """The title row: '隐患台账 · 筛选：学校=甲学校；状态=整改中 · 导出时间：2024-03-02 08:30'."""
    shown = "；".join(filters) or _("全部（无筛选）")
    stamp = local_naive(now).strftime("%Y-%m-%d %H:%M")
    return _("%(what)s · 筛选：%(filters)s · 导出时间：%(time)s") % {
        "what": what,
        "filters": shown,
        "time": stamp,
    }


@dataclass
class Sheet:
    """What one worksheet holds: its name, title row, columns and rows (an iterable)."""

    title: str
    caption: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def write_workbook(file: IO[bytes], sheets: Iterable[Sheet]) -> None:
    """Write ``sheets`` as one .xlsx into ``file`` (a binary file object)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        writer = SheetWriter(workbook, sheet.title, sheet.columns, sheet.caption)
        for row in sheet.rows:
            writer.append(row)
        writer.close()
    workbook.save(file)
