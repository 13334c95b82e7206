"""The /api/v1/ router: each app registers its viewsets here.

Basenames start with ``api-`` so they never clash with the HTML pages' URL names
(``hazard-detail`` is the web page, ``api-hazard-detail`` the API resource).
"""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import ObtainTokenView
from drills.api import DrillViewSet, IncidentViewSet, PlannedDrillViewSet, PlanViewSet
from education.api import ActivityViewSet, TrainingViewSet, VicePrincipalViewSet
from education.api import CoverageView as EducationCoverageView
from hazards.api import HazardViewSet, RemediationExpenseViewSet, RemediationProjectViewSet
from inspections.api import ChecklistViewSet, InspectionViewSet, RoundViewSet
from notifications.api import DeletionViewSet, NotificationViewSet, WebhookSubscriptionViewSet
from reports.api import ExportJobDownloadView, ExportJobViewSet, YearlyReportView
from risks.api import RiskAnalyticsView, RiskAssessmentViewSet, RiskPointViewSet
from schools.api import AssignmentViewSet, DepartmentViewSet, SchoolViewSet
from supervision.api import CheckInViewSet, PatrolViewSet, SummaryView, TrendView
from wellbeing.api import CountsView as WellbeingCountsView


class Router(DefaultRouter):
    """The browsable root lists the viewsets and the endpoints outside them."""

    EXTRA = {
        "reports/yearly": "api-yearly-report",
        "inspections/calendar": "api-inspection-calendar",
        "inspections/coverage": "api-inspection-coverage",
        "supervision/summary": "api-supervision-summary",
        "supervision/trend": "api-supervision-trend",
        "wellbeing/counts": "api-wellbeing-counts",
        "education-coverage": "api-education-coverage",
    }

    def get_api_root_view(self, api_urls=None):
        view = super().get_api_root_view(api_urls)
        view.view_initkwargs["api_root_dict"].update(self.EXTRA)
        return view


router = Router()
router.register("schools", SchoolViewSet, basename="api-school")
router.register("hazards", HazardViewSet, basename="api-hazard")
router.register("inspections", InspectionViewSet, basename="api-inspection")
router.register("checklists", ChecklistViewSet, basename="api-checklist")
router.register("cross-inspection-rounds", RoundViewSet, basename="api-cross-inspection-round")
router.register("drills", DrillViewSet, basename="api-drill")
router.register("planned-drills", PlannedDrillViewSet, basename="api-planned-drill")
router.register("education-activities", ActivityViewSet, basename="api-education-activity")
router.register("patrols", PatrolViewSet, basename="api-patrol")
router.register("check-ins", CheckInViewSet, basename="api-check-in")
router.register("plans", PlanViewSet, basename="api-plan")
router.register("incidents", IncidentViewSet, basename="api-incident")
router.register("vice-principals", VicePrincipalViewSet, basename="api-vice-principal")
router.register("staff-trainings", TrainingViewSet, basename="api-staff-training")
router.register("risk-points", RiskPointViewSet, basename="api-risk-point")
router.register("risk-assessments", RiskAssessmentViewSet, basename="api-risk-assessment")
router.register("departments", DepartmentViewSet, basename="api-department")
router.register("assignments", AssignmentViewSet, basename="api-assignment")
router.register(
    "remediation-projects", RemediationProjectViewSet, basename="api-remediation-project"
)
router.register(
    "remediation-expenses", RemediationExpenseViewSet, basename="api-remediation-expense"
)
router.register("notifications", NotificationViewSet, basename="api-notification")
router.register("export-jobs", ExportJobViewSet, basename="api-export-job")
router.register("deletions", DeletionViewSet, basename="api-deletion")
router.register(
    "webhook-subscriptions", WebhookSubscriptionViewSet, basename="api-webhook-subscription"
)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("reports/yearly/", YearlyReportView.as_view(), name="api-yearly-report"),
    path("supervision/summary/", SummaryView.as_view(), name="api-supervision-summary"),
    path("supervision/trend/", TrendView.as_view(), name="api-supervision-trend"),
    path("education-coverage/", EducationCoverageView.as_view(), name="api-education-coverage"),
    path("wellbeing/counts/", WellbeingCountsView.as_view(), name="api-wellbeing-counts"),
    path("risk-analytics/<slug:series>/", RiskAnalyticsView.as_view(), name="api-risk-analytics"),
    path(
        "export-jobs/<int:pk>/download/",
        ExportJobDownloadView.as_view(),
        name="api-export-job-download",
    ),
    *router.urls,
]
