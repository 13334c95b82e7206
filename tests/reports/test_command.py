"""rollup_statistics: argument errors are CommandErrors with a clear message."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.figures import FIGURES
from reports.models import YearlyStatistic


def run(*args):
    out = io.StringIO()
    call_command("rollup_statistics", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--year", "abc"], ["year", "整数"]),
        (["--year", "1999"], ["year", "2000"]),
        (["--year", "2024", "--period", "foo"], ["period", "foo"]),
        (["--year", "2024", "--school", "x"], ["school"]),
        (["--year", "2024", "--school", "999999"], ["999999"]),
    ],
)
def test_bad_arguments(db, args, words):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert all(word in str(error.value) for word in words)
    assert not YearlyStatistic.objects.exists()


def test_one_line_per_figure_on_an_empty_database(db):
    lines = run("--year", "2024", "--period", "school")
    assert lines == [f"{key} 0" for key in FIGURES]


def test_inactive_school_is_refused(school_a):
    school_a.is_active = False
    school_a.save()
    with pytest.raises(CommandError):
        run("--year", "2024", "--school", str(school_a.pk))
