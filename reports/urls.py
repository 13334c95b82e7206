"""The web dashboard at /, and the ledger exports."""

from django.urls import path

from . import export_views, views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("scorecard/<int:pk>/", views.ScorecardView.as_view(), name="school-scorecard"),
    path(
        "exports/hazards/<str:fmt>/", export_views.HazardExportView.as_view(), name="hazard-export"
    ),
    path(
        "exports/records/<str:kind>/",
        export_views.RecordExportView.as_view(),
        name="record-export",
    ),
    path("exports/yearly/", export_views.YearlyExportView.as_view(), name="yearly-export"),
    path("exports/<int:pk>/", export_views.ExportJobView.as_view(), name="export-job"),
    path(
        "exports/<int:pk>/download/",
        export_views.ExportDownloadView.as_view(),
        name="export-download",
    ),
]
