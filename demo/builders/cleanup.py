"""Removal of the demo-owned record rows before a rebuild.

Demo-owned: every row of a school-owned model at a school with ``is_demo=True`` (hazards
with their events, photos and history rows, inspections — also those done by a demo
school —, drills, activities, counselling, remediation expenses and the projects that
paid demo schools, assignments, stored statistics of those schools), and the field history
of those rows. Schools, departments
and users are reference rows: they are updated in place, not deleted.
"""

from django.db.models import Q

from drills.models import Drill, EmergencyPlan, Incident
from education.models import (
    Appointment,
    CounsellingSession,
    EducationActivity,
    StaffTraining,
    VicePrincipal,
    VicePrincipalEvaluation,
    VicePrincipalLesson,
)
from hazards.models import Hazard, RemediationExpense, RemediationProject
from inspections.models import CrossInspectionRound, Inspection, InspectionAnswer
from notifications.models import Kind, Notification
from reports.models import YearlyStatistic
from schools.models import CalendarDay, School, SchoolAssignment, SchoolClass, Student, Term
from supervision.models import BellTime, Patrol, PatrolPoint, PatrolProblem, PatrolSlot, Roll
from wellbeing.models import BreakGlassAccess, BullyingCase, StudentRecord


def delete_demo_rows() -> int:
    """Delete the record rows of all demo schools; returns how many rows went."""
    ids = list(School.objects.filter(is_demo=True).values_list("id", flat=True))
    projects = RemediationProject.objects.filter(
        Q(schools__in=ids) | Q(expenses__school__in=ids)
    ).values_list("id", flat=True)
    inspections = Inspection.objects.filter(Q(school__in=ids) | Q(inspecting_school__in=ids))
    inspection_ids = list(inspections.values_list("id", flat=True))
    # The field history of the deleted rows goes too (deleting adds "-" rows, so after them).
    history = [
        Hazard.history.filter(school_id__in=ids),
        RemediationProject.history.filter(id__in=list(projects)),
        RemediationExpense.history.filter(school_id__in=ids),
        Inspection.history.filter(id__in=inspection_ids),
        InspectionAnswer.history.filter(inspection_id__in=inspection_ids),
        Drill.history.filter(school_id__in=ids),
        EmergencyPlan.history.filter(school_id__in=ids),
        Incident.history.filter(school_id__in=ids),
        EducationActivity.history.filter(school_id__in=ids),
        SchoolAssignment.history.filter(school_id__in=ids),
        StaffTraining.history.filter(school_id__in=ids),
        VicePrincipal.history.all(),  # the demo's own: every vice principal serves a school
        Student.history.filter(school_id__in=ids),
        SchoolClass.history.filter(school_id__in=ids),
    ]
    querysets = [
        # Supervision first: a patrol problem protects its hazard; check-ins go with rolls.
        PatrolProblem.objects.filter(patrol__school__in=ids),
        Roll.objects.filter(school__in=ids),
        Patrol.objects.filter(school__in=ids),
        PatrolSlot.objects.filter(school__in=ids),
        PatrolPoint.objects.filter(school__in=ids),
        BellTime.objects.filter(school__in=ids),
        Hazard.objects.filter(school__in=ids),
        RemediationProject.objects.filter(id__in=list(projects)),
        RemediationExpense.objects.filter(school__in=ids),
        inspections,
        CrossInspectionRound.objects.filter(schools__in=ids),  # after their inspections
        Incident.objects.filter(school__in=ids),
        Drill.objects.filter(school__in=ids),
        EmergencyPlan.objects.filter(school__in=ids),  # after the drills that used them
        EducationActivity.objects.filter(school__in=ids),
        CounsellingSession.objects.filter(school__in=ids),
        SchoolAssignment.objects.filter(school__in=ids),
        YearlyStatistic.objects.filter(school__in=ids),
        StaffTraining.objects.filter(school__in=ids),
        VicePrincipalLesson.objects.filter(school__in=ids),
        VicePrincipalEvaluation.objects.filter(school__in=ids),
        Appointment.objects.filter(school__in=ids),
        VicePrincipal.objects.filter(appointments__isnull=True),
        # The sealed files and their alerts (records refer to students).
        Notification.objects.filter(
            school__in=ids, kind__in=[Kind.CRISIS_ALERT, Kind.BREAK_GLASS, Kind.BULLYING_DUE]
        ),
        BreakGlassAccess.objects.filter(record__school__in=ids),
        StudentRecord.objects.filter(school__in=ids),
        BullyingCase.objects.filter(school__in=ids),
        # The roster last: records of the apps above refer to students and classes.
        Student.objects.filter(school__in=ids),
        SchoolClass.objects.filter(school__in=ids),
        Term.objects.filter(school__in=ids),
        CalendarDay.objects.filter(school__in=ids),
        *history,
    ]
    return sum(qs.delete()[0] for qs in querysets)
