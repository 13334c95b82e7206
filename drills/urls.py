"""HTML pages of drills, plans, compliance and incidents under /drills/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.DrillListView.as_view(), name="drill-list"),
    path("new/", views.DrillCreateView.as_view(), name="drill-create"),
    path("<int:pk>/", views.DrillDetailView.as_view(), name="drill-detail"),
    path(
        "<int:pk>/problems/<int:problem>/hazard/",
        views.ProblemHazardView.as_view(),
        name="drill-problem-hazard",
    ),
    path("photos/<uuid:uuid>/", views.DrillPhotoView.as_view(), name="drill-photo"),
    path("compliance/", views.ComplianceView.as_view(), name="drill-compliance"),
    path("schedule/", views.ScheduleView.as_view(), name="drill-schedule"),
    path(
        "schedule/<int:pk>/cancel/",
        views.ScheduleCancelView.as_view(),
        name="drill-schedule-cancel",
    ),
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path(
        "plans/<int:pk>/versions/",
        views.PlanVersionUploadView.as_view(),
        name="plan-version-upload",
    ),
    path(
        "plans/<int:pk>/versions/<int:version>/approve/",
        views.PlanApproveView.as_view(),
        name="plan-approve",
    ),
    path(
        "plans/versions/<int:pk>/file/",
        views.PlanVersionFileView.as_view(),
        name="plan-version-file",
    ),
    path("incidents/", views.IncidentListView.as_view(), name="incident-list"),
    path("incidents/new/", views.IncidentCreateView.as_view(), name="incident-create"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident-detail"),
    path("incidents/<int:pk>/actions/", views.IncidentActionView.as_view(), name="incident-action"),
    path(
        "incidents/<int:pk>/written-report/",
        views.IncidentWrittenReportView.as_view(),
        name="incident-written-report",
    ),
    path("incidents/<int:pk>/close/", views.IncidentCloseView.as_view(), name="incident-close"),
]
