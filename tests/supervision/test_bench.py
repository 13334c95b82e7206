"""bench/supervision.py at a tiny size: it builds, every path answers 200, and the query
counts do not grow with the number of students (5 → 55) or schools (a tenth → all)."""

import pytest

from bench import supervision as bench

pytestmark = pytest.mark.django_db


def test_query_counts_are_constant_in_students_and_schools():
    results = bench.measure(bench.build(schools=20), repeat=1)
    assert {r.status for r in results} == {200}
    by_name = {}
    for r in results:
        by_name.setdefault(r.name, []).append((r.size, r.queries))
    page = by_name["check-in page"]
    assert [size for size, _ in page] == ["5 students", "55 students"]
    assert page[0][1] == page[1][1], page
    summary = by_name["daily summary (selector)"]
    assert [size for size, _ in summary] == ["2 schools", "20 schools"]
    assert summary[0][1] == summary[1][1] <= 9, summary
    assert by_name["bureau page /supervision/"][0][1] <= 30
