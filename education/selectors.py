"""Reads of the education app across models: the coverage grid of a school's term, the
term's national safety dates, and the bureau's compliance table of a year (rule-of-law vice
principals and staff training)."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from schools.models import School, SchoolClass, Term

from .calendar import dates_between
from .models import (
    Appointment,
    EducationActivity,
    RequiredTopic,
    StaffTraining,
    VicePrincipalEvaluation,
    VicePrincipalLesson,
)

MIN_VICE_PRINCIPAL_HOURS = Decimal(4)  # 教育部令第52号: ≥ 4 class hours a year


def required_topics(term: Term) -> list[RequiredTopic]:
    """The active required topics that apply to ``term`` (every term, or its kind)."""
    return list(
        RequiredTopic.objects.filter(is_active=True).filter(
            Q(term_kind="") | Q(term_kind=term.kind)
        )
    )


def coverage_grid(school: School, term: Term) -> dict:
    """Each active class of ``school`` × each required topic of ``term``: the activities of
    the term dates that reached the class on the topic. An activity with no classes reached
    the whole school. Returns ``{"topics": [RequiredTopic], "rows": [{"class": SchoolClass,
    "cells": [[activity, …] per topic], "gaps": n}], "gaps": n, "cells": n}``. Four
    queries whatever the number of classes."""
    topics = required_topics(term)
    classes = list(SchoolClass.objects.filter(school=school, is_active=True))
    activities = (
        EducationActivity.objects.filter(
            school=school,
            date__range=(term.start_date, term.end_date),
            topic__in=[t.topic for t in topics],
        )
        .prefetch_related("classes")
        .order_by("date", "id")
    )
    reached: dict[tuple[int | None, str], list] = defaultdict(list)
    for activity in activities:
        for class_id in [c.pk for c in activity.classes.all()] or [None]:
            reached[class_id, activity.topic].append(activity)
    rows = []
    for school_class in classes:
        cells = [reached[school_class.pk, t.topic] + reached[None, t.topic] for t in topics]
        rows.append({"class": school_class, "cells": cells, "gaps": sum(not c for c in cells)})
    gaps = sum(row["gaps"] for row in rows)
    return {"topics": topics, "rows": rows, "gaps": gaps, "cells": len(rows) * len(topics)}


def term_calendar(term: Term) -> list[dict]:
    """The national safety dates inside ``term``: ``[{"key", "date", "name"}]`` in order."""
    return [
        {"key": key, "date": date, "name": name}
        for key, date, name in dates_between(term.start_date, term.end_date)
    ]


def compliance(schools: list[School], year: int) -> list[dict]:
    """Per school of ``schools`` for calendar ``year``: its vice principals (names), class
    hours given, whether ≥ 4, whether evaluated; staff training sessions, hours and staff
    trained. Six queries whatever the number of schools."""
    ids = [s.pk for s in schools]
    appointed = defaultdict(list)
    for a in (
        Appointment.objects.in_year(year).filter(school_id__in=ids).select_related("vice_principal")
    ):
        appointed[a.school_id].append(a.vice_principal.name)
    hours = dict(
        VicePrincipalLesson.objects.filter(school_id__in=ids, date__year=year)
        .values_list("school_id")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    evaluated = set(
        VicePrincipalEvaluation.objects.filter(school_id__in=ids, year=year).values_list(
            "school_id", flat=True
        )
    )
    training = {
        row["school_id"]: row
        for row in StaffTraining.objects.filter(school_id__in=ids, date__year=year)
        .values("school_id")
        .annotate(sessions=Count("id", distinct=True), hours=Sum("hours"))
        .order_by()
    }
    trained = dict(
        StaffTraining.attendees.through.objects.filter(
            stafftraining__school_id__in=ids, stafftraining__date__year=year
        )
        .values_list("stafftraining__school_id")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    rows = []
    for school in schools:
        given = hours.get(school.pk) or Decimal(0)
        t = training.get(school.pk, {})
        rows.append(
            {
                "school": school,
                "vice_principals": appointed.get(school.pk, []),
                "has_vice_principal": bool(appointed.get(school.pk)),
                "hours": given,
                "hours_met": given >= MIN_VICE_PRINCIPAL_HOURS,
                "evaluated": school.pk in evaluated,
                "training_sessions": t.get("sessions", 0),
                "training_hours": t.get("hours") or Decimal(0),
                "staff_trained": trained.get(school.pk, 0),
            }
        )
    return rows


def training_hours_by_person(schools: list[School], year: int) -> list[dict]:
    """Hours of safety training per staff member in ``year`` at ``schools``:
    ``[{"user_id", "name", "sessions", "hours"}]``, most hours first. One query."""
    rows = (
        StaffTraining.attendees.through.objects.filter(
            stafftraining__school__in=schools, stafftraining__date__year=year
        )
        .values("user_id", "user__name", "user__username")
        .annotate(sessions=Count("stafftraining_id"), hours=Sum("stafftraining__hours"))
        .order_by("-hours", "user_id")
    )
    return [
        {
            "user_id": r["user_id"],
            "name": r["user__name"] or r["user__username"],  # as ``str(user)``
            "sessions": r["sessions"],
            "hours": r["hours"],
        }
        for r in rows
    ]


def terms_for(school: School, today: datetime.date) -> list[Term]:
    """The terms the coverage page offers for ``school``: bureau terms and the school's own
    overrides up to today's school year, newest first."""
    terms = Term.objects.filter(Q(school__isnull=True) | Q(school=school)).filter(
        start_date__lte=today
    )
    chosen: dict[tuple[int, str], Term] = {}
    for term in terms.order_by("school_id"):  # the bureau's first (NULLs last on PostgreSQL)
        key = (term.school_year, term.kind)
        if key not in chosen or term.school_id is not None:
            chosen[key] = term
    return sorted(chosen.values(), key=lambda t: t.start_date, reverse=True)
