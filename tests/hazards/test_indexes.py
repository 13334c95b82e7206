"""Every filter of the ledger reads an index (EXPLAIN on PostgreSQL): the page query of the
list, as ``HazardFilter`` builds it for the bureau, must start from an index whose
condition holds the filter, not scan the table or filter its way down the ledger order.

The test table is small, so sequential scans are switched off for the transaction: the
planner then still chooses among the indexes by cost, and a filter no index serves shows
as a ``Filter:`` line over the order index instead of an ``Index Cond``."""

import datetime

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from core import keyset
from hazards.filters import HazardFilter
from hazards.models import Hazard
from reports.charts import TOP_SCHOOLS, overdue_by_school
from risks.analytics import close_trend
from tests.factories import DepartmentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans"),
]


class _Request:
    def __init__(self, user):
        self.user = user


def _plan(user, query: str) -> str:
    filterset = HazardFilter(
        QueryDict(query), queryset=Hazard.objects.visible_to(user), request=_Request(user)
    )
    assert filterset.is_valid(), filterset.errors
    page = filterset.qs[:25]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return page.explain()


# (query, the index that must serve it, a column its Index Cond must name)
CASES = [
    ("status=closed", "hazard_status_", "status"),
    ("status=closed&source=snapshot", "hazard_status_", "status"),
    ("source=snapshot", "hazard_s", "source"),
    ("category=fire", "hazard_category_ledger", "category"),
    ("level=major", "hazard_major_ledger", ""),
    ("overdue=true", "hazard_active_deadline", "deadline"),
    ("reported_after=2025-01-01", "hazard_ledger_order", "reported_at"),
    ("reported_before=2024-01-02", "hazard_ledger_order", "reported_at"),
    ("q=灭火", "hazard_search_bigrams", "hazard_bigrams"),
    ("q=灭火&status=closed", "hazard_", ""),
    ("school={school}", "hazard_school_", "school_id"),
    ("department={department}", "hazard_department_ledger", "department_id"),
]


def _fill(school, other_school, department, rows=10_000):
    """``rows`` hazards in one statement, each filter value on about one row in a hundred
    (the planner's statistics then look like a real ledger's, where a filter is selective)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO hazards_hazard (school_id, title, description, location, category,
                level, source, status, reported_at, measures, contingency_plan,
                rectification_note, dismiss_reason, reporter_contact, updated_at,
                deadline, department_id, closed_at)
            SELECT CASE WHEN i %% 101 = 0 THEN %(school)s ELSE %(other)s END,
                CASE WHEN i %% 103 = 0 THEN '灭火器过期' ELSE '楼梯扶手松动' || i END,
                '', '', CASE WHEN i %% 89 = 0 THEN 'fire' ELSE 'building' END,
                CASE WHEN i %% 83 = 0 THEN 'major' ELSE 'general' END,
                CASE WHEN i %% 97 = 0 THEN 'snapshot' ELSE 'self_inspection' END,
                CASE WHEN i %% 100 = 0 THEN 'closed' WHEN i %% 79 = 0 THEN 'rectifying'
                     ELSE 'reported' END,
                timestamptz '2024-01-01 08:00+08' + i * interval '1 minute',
                '', '', '', '', '', now(),
                CASE WHEN i %% 79 = 0 THEN date '2024-02-01' END,
                CASE WHEN i %% 73 = 0 THEN %(department)s END,
                CASE WHEN i %% 100 = 0 THEN now() END
            FROM generate_series(1, %(rows)s) AS i
            """,
            {
                "school": school.pk,
                "other": other_school.pk,
                "department": department.pk,
                "rows": rows,
            },
        )
        cursor.execute("ANALYZE hazards_hazard")


def test_every_filter_reads_its_index(bureau_staff, school_a, school_b, time_machine):
    time_machine.move_to("2024-03-01 10:00+08:00")
    department = DepartmentFactory()
    _fill(school_a, school_b, department)
    failures = []
    for query, index, condition in CASES:
        plan = _plan(bureau_staff, query.format(school=school_a.pk, department=department.pk))
        conditions = [line for line in plan.splitlines() if "Index Cond" in line]
        if (
            index not in plan
            or "Seq Scan" in plan
            or (condition and not any(condition in line for line in conditions))
        ):
            failures.append(f"{query}:\n{plan}")
    assert not failures, "\n\n".join(failures)


def test_a_search_first_walks_a_range_of_the_ledger_order(bureau_staff, school_a, school_b):
    """The ledger's search reads the newest rows in ledger order before the bigram index
    (core.keyset's ``walk``): a range of ``hazard_ledger_order``, not the table."""
    _fill(school_a, school_b, DepartmentFactory())
    filterset = HazardFilter(
        QueryDict("q=灭火"), queryset=Hazard.objects.all(), request=_Request(bureau_staff)
    )
    assert filterset.is_valid()
    walk = filterset.filter_queryset(Hazard.objects.all(), indexed_search=False)
    with CaptureQueriesContext(connection) as queries:
        keyset.list_page(filterset.qs, QueryDict(), 25, "reported_at", walk=walk, count=False)
    sql = queries.captured_queries[1]["sql"]  # the edge of the range, then the walk
    assert "LIKE" in sql and "hazard_bigrams" not in sql, sql
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "hazard_ledger_order" in plan and "Seq Scan" not in plan, plan


def test_the_overdue_schools_chart_reads_only_overdue_hazards(school_a, school_b):
    """The dashboard's "most overdue schools" is counted on each request: the partial index
    of assigned hazards by deadline finds the overdue ones (seq scans allowed: the planner
    prefers the index on its own, with one hazard in a hundred overdue)."""
    _fill(school_a, school_b, DepartmentFactory(), rows=5_000)
    query = overdue_by_school(Hazard.objects.all(), datetime.date(2024, 3, 1))[:TOP_SCHOOLS]
    plan = query.explain()
    assert "hazard_active_deadline" in plan and "Seq Scan on hazards_hazard" not in plan, plan
    assert [r["n"] for r in query] == [63]  # i % 79 == 0 of 5,000, all at one school


def test_the_close_time_series_reads_the_closed_hazards_index(school_a, school_b):
    """The roll-up's close-time chart (risks.analytics.close_trend) reads the period's
    closed hazards from their partial index by closed_at, reported_at included: an index
    range, not the table."""
    _fill(school_a, school_b, DepartmentFactory(), rows=5_000)
    with CaptureQueriesContext(connection) as queries:
        close_trend(None, start=datetime.date(2024, 1, 1), end=datetime.date(2025, 1, 1))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + queries.captured_queries[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "hazard_closed_trend" in plan and "Seq Scan" not in plan, plan
