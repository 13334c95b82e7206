"""The demo's education extras and sealed mental-health data (issue 17), on the session's
demo data: the article's counts unchanged, vice principals for every school (a few below 4
hours in 2024), trainings, classes on the activities, screening files with levels and one
crisis alert."""

import pytest

from education.models import EducationActivity
from education.selectors import compliance
from notifications.models import Kind, Notification
from schools.models import School
from wellbeing.models import Screening, StudentRecord

from .checks import assert_article_figures

pytestmark = pytest.mark.usefixtures("demo_data")


def test_counts_stay_the_articles(db):
    assert_article_figures()


def test_every_school_has_a_vice_principal_and_a_few_fall_short_in_2024(db):
    rows = compliance(list(School.objects.filter(is_demo=True)), 2024)
    assert len(rows) == 29 and all(r["has_vice_principal"] for r in rows)
    assert 1 <= sum(not r["hours_met"] for r in rows) <= 5
    assert all(r["training_sessions"] == 2 for r in rows)
    assert sum(not r["evaluated"] for r in rows) == 1


def test_class_meetings_name_their_class(db):
    meetings = EducationActivity.objects.filter(kind=EducationActivity.Kind.CLASS_MEETING)
    assert meetings.exists() and not meetings.filter(classes__isnull=True).exists()


def test_files_with_levels_and_one_crisis_alert(db):
    assert StudentRecord.objects.count() >= 50
    assert Screening.objects.count() == StudentRecord.objects.count()
    assert StudentRecord.objects.filter(level__is_crisis=True).count() == 1
    alerts = Notification.objects.filter(kind=Kind.CRISIS_ALERT)
    assert alerts.count() == 2  # the school's principal and the class's homeroom teacher
