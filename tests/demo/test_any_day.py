"""load_demo on days other than the session's: the 2024 history stays the article's and
every persona still finds work, on a day after the holiday calendar's last known year, on a
leap day, and years later (the open work does not pile up with the years); one progress
line per simulated year; ``--today`` is checked. Each test loads the demo itself in its
own transaction, with the clock pinned to the day it loads for (views and querysets that ask
for today agree with the data)."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.builders import calendar as cal

from .checks import (
    assert_article_figures,
    assert_every_project_belongs_to_a_demo_school,
    assert_personas_find_work,
)
from .fixtures import load_demo, progress_years

D = datetime.date


@pytest.mark.parametrize(
    ("day", "flag"),
    [
        (D(2027, 1, 4), True),  # Monday after New Year, past chinesecalendar's last year (2026)
        (D(2028, 2, 29), False),  # leap day in the winter holiday; the command reads the clock
        (D(2031, 9, 1), True),  # first day of an autumn term, years later
    ],
)
def test_a_later_day_keeps_2024_and_gives_every_persona_work(db, day, flag):
    with time_machine.travel(cal.at(day, 9), tick=True):
        out = load_demo(day if flag else None)
        assert day.isoformat() in out
        assert progress_years(out) == list(range(2024, day.year + 1))
        assert_article_figures()
        assert_personas_find_work(day)
        assert_every_project_belongs_to_a_demo_school()


@pytest.mark.parametrize("text", ["2027-13-01", "tomorrow", "2027/01/04", ""])
def test_an_invalid_day_is_a_command_error(text):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("load_demo", "--today", text)


def test_a_day_before_the_article_school_year_ended_is_a_command_error():
    with pytest.raises(CommandError, match="2025-09-01"):
        load_demo(D(2025, 8, 31))


def test_a_day_more_than_15_years_after_the_article_is_a_command_error():
    with pytest.raises(CommandError, match="2039-12-31"):
        load_demo(D(2040, 1, 1))
