"""The cell rules of the ledger export, as units: formula neutralising, numbers, times,
control characters, file names."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest

from reports import exports

UTC = zoneinfo.ZoneInfo("UTC")


@pytest.mark.parametrize(
    "text", ["=1+1", "+cmd", "-2+3", "@SUM(A1:A2)", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠SUM"]
)
def test_formula_text_gets_a_leading_apostrophe(text):
    assert exports.clean_text(text) == "'" + text


@pytest.mark.parametrize("text", ["灭火器过期", "1号楼", "-350", "3.5", "a=b"])
def test_ordinary_text_and_plain_numbers_are_left_alone(text):
    assert exports.clean_text(text) == text


def test_word_vertical_tab_becomes_a_newline_and_other_controls_go():
    assert exports.clean_text("一楼\x0b二楼\x01") == "一楼\n二楼"


def test_aware_datetime_becomes_beijing_wall_clock_time():
    value = datetime.datetime(2024, 3, 1, 23, 30, tzinfo=UTC)
    assert exports.cell_value(value) == datetime.datetime(2024, 3, 2, 7, 30)  # noqa: DTZ001
    assert exports.csv_text(value) == "2024-03-02 07:30"


def test_csv_has_one_bom_numbers_unquoted_and_formulas_neutralised():
    data = exports.write_csv(["金额", "说明"], [[Decimal("-350"), "=1+1"], [-350, "-2+3"]])
    text = data.decode("utf-8")
    assert text.startswith("\ufeff金额")
    assert text.count("\ufeff") == 1
    lines = text.splitlines()
    assert lines[1] == "-350,'=1+1"
    assert lines[2] == "-350,'-2+3"


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text():
    data = exports.write_xlsx(["金额", "说明", "位置"], [[Decimal("-350"), "=1+1", "一楼\x0b二楼"]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    amount, note, place = sheet[3]  # row 1: the title, row 2: the header
    assert amount.data_type == "n" and amount.value == -350
    # A text cell with Excel's quote prefix: no visible apostrophe, never a formula.
    assert note.data_type == "s" and note.value == "=1+1" and note.quotePrefix
    assert place.value == "一楼\n二楼"


def test_content_disposition_has_ascii_fallback_and_utf8_name():
    header = exports.content_disposition("隐患台账-20240302.xlsx", fallback="hazards.xlsx")
    assert header == (
        'attachment; filename="hazards.xlsx"; '
        "filename*=UTF-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6-20240302.xlsx"
    )
