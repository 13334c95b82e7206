"""HTML pages of the drills app: drill records (``records``), the compliance pages
(``compliance``), emergency plans (``plans``) and incidents (``incidents``)."""

from .compliance import ComplianceView
from .incidents import (
    IncidentActionView,
    IncidentCloseView,
    IncidentCreateView,
    IncidentDetailView,
    IncidentListView,
    IncidentWrittenReportView,
)
from .plans import (
    PlanApproveView,
    PlanCreateView,
    PlanDetailView,
    PlanListView,
    PlanVersionFileView,
    PlanVersionUploadView,
)
from .records import (
    DrillCreateView,
    DrillDetailView,
    DrillListView,
    DrillPhotoView,
    ProblemHazardView,
)
from .schedule import ScheduleCancelView, ScheduleView

__all__ = [
    "ComplianceView", "DrillCreateView", "DrillDetailView", "DrillListView", "DrillPhotoView",
    "IncidentActionView", "IncidentCloseView", "IncidentCreateView", "IncidentDetailView",
    "IncidentListView", "IncidentWrittenReportView", "PlanApproveView", "PlanCreateView",
    "PlanDetailView", "PlanListView", "PlanVersionFileView", "PlanVersionUploadView",
    "ProblemHazardView", "ScheduleCancelView", "ScheduleView",
]  # fmt: skip
