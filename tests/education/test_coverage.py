"""Coverage grid, term calendar, vice principals (≤ 2 schools, ≥ 4 hours, evaluation) and
staff training through the services, pages and API."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.exceptions import DomainError
from education import selectors, services
from education.calendar import dates_between
from education.models import EducationActivity, RequiredTopic, VicePrincipal
from reports.figures import compute_figures
from schools.models import Term
from tests.factories import SchoolClassFactory, SchoolFactory

D = datetime.date
FIGURE_KEYS = [
    "schools_with_vice_principal", "vice_principal_hours", "schools_vice_principal_hours_met",
    "staff_training_sessions", "staff_training_hours",
]  # fmt: skip
T = EducationActivity.Topic


@pytest.fixture
def spring(db):
    return Term.objects.create(
        school_year=2024, kind=Term.Kind.SPRING, start_date=D(2025, 2, 24), end_date=D(2025, 7, 4)
    )


@pytest.fixture
def classes(school_a):
    return [SchoolClassFactory(school=school_a, name=f"一年级{i}班", grade=1) for i in (1, 2)]


def record(school, actor, topic, day, classes=(), kind=EducationActivity.Kind.CLASS_MEETING):
    return services.record_activity(
        school, actor=actor, kind=kind, topic=topic, title="主题班会", date=day,
        participants=40, classes=classes,
    )  # fmt: skip


@time_machine.travel(D(2025, 7, 10))
def test_the_grid_matches_the_records(school_a, officer_a, spring, classes, school_b):
    one, two = classes
    fire = record(school_a, officer_a, T.FIRE, D(2025, 3, 3), [one])
    drown = record(school_a, officer_a, T.DROWNING, D(2025, 6, 20))  # whole school
    record(school_a, officer_a, T.TRAFFIC, D(2025, 1, 10), [one, two])  # before the term
    record(school_a, officer_a, T.LAW, D(2025, 3, 3), [two])  # not a required topic
    grid = selectors.coverage_grid(school_a, spring)
    codes = [t.topic for t in grid["topics"]]
    assert codes == [r.topic for r in RequiredTopic.objects.all()]  # drowning is spring's
    cells = {
        (row["class"], code): cell
        for row in grid["rows"]
        for code, cell in zip(codes, row["cells"], strict=False)
    }
    assert cells[one, T.FIRE] == [fire] and cells[two, T.FIRE] == []
    assert cells[one, T.DROWNING] == [drown] and cells[two, T.DROWNING] == [drown]
    assert cells[one, T.TRAFFIC] == [] and cells[two, T.TRAFFIC] == []
    assert grid["gaps"] == 2 * len(codes) - 3
    assert grid["cells"] == 2 * len(codes)


def test_drowning_is_not_required_in_autumn(spring):
    autumn = Term.objects.create(
        school_year=2024, kind=Term.Kind.AUTUMN, start_date=D(2024, 9, 1), end_date=D(2025, 1, 17)
    )
    assert T.DROWNING not in [t.topic for t in selectors.required_topics(autumn)]
    assert T.DROWNING in [t.topic for t in selectors.required_topics(spring)]


@time_machine.travel(D(2025, 7, 10))
def test_the_page_and_api_show_the_grid_and_calendar(
    client, api_as, school_a, officer_a, spring, classes, school_b
):
    record(school_a, officer_a, T.FIRE, D(2025, 3, 3), [classes[0]])
    client.force_login(officer_a)
    page = client.get(reverse("education-coverage"), {"school": school_a.pk, "term": spring.pk})
    html = page.content.decode()
    assert page.status_code == 200 and html.count('data-covered="1"') == 1
    assert "全国中小学生安全教育日" in html and "2025-03-31" in html
    assert client.get(reverse("education-coverage"), {"school": school_b.pk}).status_code == 404
    body = (
        api_as(officer_a)
        .get(reverse("api-education-coverage"), {"school": school_a.pk, "term": spring.pk})
        .json()
    )
    assert body["classes"][0]["topics"]["fire"] and body["classes"][1]["topics"]["fire"] == []
    bad = api_as(officer_a).get(reverse("api-education-coverage"), {"school": "x"})
    assert bad.status_code == 400 and set(bad.json()) >= {"school", "term"}


def test_the_term_calendar_computes_the_national_dates():
    days = {key: day for key, day, _ in dates_between(D(2026, 2, 23), D(2026, 12, 31))}
    assert days["safety_education_day"] == D(2026, 3, 30)
    assert (days["national_security_day"], days["disaster_prevention_day"]) == (
        D(2026, 4, 15), D(2026, 5, 12),
    )  # fmt: skip
    assert (days["fire_day"], days["traffic_day"], days["constitution_day"]) == (
        D(2026, 11, 9), D(2026, 12, 2), D(2026, 12, 4),
    )  # fmt: skip


@time_machine.travel(D(2025, 3, 10))
def test_a_class_of_another_school_is_refused(client, school_a, school_b, officer_a):
    other = SchoolClassFactory(school=school_b)
    with pytest.raises(DomainError) as exc:
        record(school_a, officer_a, T.FIRE, D(2025, 3, 3), [other])
    assert "classes" in exc.value.field_errors
    assert not EducationActivity.objects.exists()


# --- vice principals and training -------------------------------------------------------


@pytest.fixture
def judge(db):
    return VicePrincipal.objects.create(name="李法官", agency_type="court", agency_name="旗法院")


def test_a_vice_principal_serves_at_most_two_schools(judge, bureau_staff):
    a, b, c = SchoolFactory(), SchoolFactory(), SchoolFactory()
    term = {"start_date": D(2024, 9, 1), "end_date": D(2027, 8, 31)}
    services.appoint_vice_principal(judge, a, actor=bureau_staff, **term)
    services.appoint_vice_principal(judge, b, actor=bureau_staff, **term)
    with pytest.raises(DomainError) as exc:
        services.appoint_vice_principal(judge, c, actor=bureau_staff, **term)
    assert "school" in exc.value.field_errors
    # After one appointment ends, a third school is fine.
    later = {"start_date": D(2027, 9, 1), "end_date": D(2030, 8, 31)}
    services.appoint_vice_principal(judge, c, actor=bureau_staff, **later)
    assert judge.appointments.count() == 3


@time_machine.travel(D(2025, 12, 20))
def test_compliance_counts_hours_evaluation_and_training(
    client, judge, school_a, school_b, bureau_staff, officer_a, principal_a, teacher_a
):
    services.appoint_vice_principal(
        judge, school_a, actor=bureau_staff, start_date=D(2024, 9, 1), end_date=D(2027, 8, 31)
    )
    for day, hours in ((D(2025, 3, 3), "2"), (D(2025, 12, 4), "2.5"), (D(2024, 12, 4), "3")):
        services.record_vice_principal_lesson(
            judge, school_a, actor=officer_a, date=day, hours=Decimal(hours), title="宪法课"
        )
    with pytest.raises(DomainError):  # not appointed there
        services.record_vice_principal_lesson(
            judge, school_b, actor=bureau_staff, date=D(2025, 3, 3), hours=2, title="x"
        )
    with pytest.raises(DomainError):  # hours out of range
        services.record_vice_principal_lesson(
            judge, school_a, actor=officer_a, date=D(2025, 3, 3), hours=Decimal("25"), title="x"
        )
    services.evaluate_vice_principal(
        judge, school_a, actor=principal_a, year=2025, result="competent"
    )
    services.record_training(
        school_a, actor=officer_a, title="消防培训", date=D(2025, 5, 1), hours=Decimal("3"),
        attendees=[officer_a, teacher_a],
    )  # fmt: skip
    services.record_training(
        school_a, actor=officer_a, title="急救培训", date=D(2025, 6, 1), hours=Decimal("2"),
        attendees=[teacher_a],
    )  # fmt: skip
    rows = {r["school"]: r for r in selectors.compliance([school_a, school_b], 2025)}
    a, b = rows[school_a], rows[school_b]
    assert (a["vice_principals"], a["hours"], a["hours_met"], a["evaluated"]) == (
        ["李法官"], Decimal("4.5"), True, True,
    )  # fmt: skip
    assert (a["training_sessions"], a["training_hours"], a["staff_trained"]) == (2, 5, 2)
    assert (b["has_vice_principal"], b["hours_met"], b["evaluated"]) == (False, False, False)
    hours = {p["user_id"]: p["hours"] for p in selectors.training_hours_by_person([school_a], 2025)}
    assert hours == {teacher_a.pk: 5, officer_a.pk: 3}
    assert selectors.compliance([school_a], 2024)[0]["hours_met"] is False  # 3 hours in 2024
    client.force_login(bureau_staff)
    page = client.get(reverse("education-compliance"), {"year": 2025}).content.decode()
    assert "李法官" in page and "未聘任" in page
    # The yearly statistics carry the same numbers.
    total, _by_school = compute_figures(2025, "calendar", [school_a.pk, school_b.pk])
    assert {k: total[k] for k in FIGURE_KEYS} == {
        "schools_with_vice_principal": 1, "vice_principal_hours": 4,
        "schools_vice_principal_hours_met": 1, "staff_training_sessions": 2,
        "staff_training_hours": 5,
    }  # fmt: skip


@time_machine.travel(D(2025, 12, 20))
def test_training_attendees_must_belong_to_the_school(school_a, officer_a, officer_b):
    with pytest.raises(DomainError) as exc:
        services.record_training(
            school_a, actor=officer_a, title="x", date=D(2025, 5, 1), hours=1, attendees=[officer_b]
        )
    assert "attendees" in exc.value.field_errors
