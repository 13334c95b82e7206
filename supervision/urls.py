"""HTML pages of key-period supervision under /supervision/."""

from django.urls import path

from .views import bureau, checkins, patrols, roster

urlpatterns = [
    path("", bureau.SummaryView.as_view(), name="supervision-summary"),
    path("checkins/", checkins.MyClassesView.as_view(), name="checkin-classes"),
    path("checkins/<int:pk>/", checkins.ClassRollView.as_view(), name="checkin-roll"),
    path("checkins/<int:pk>/mark/", checkins.MarkView.as_view(), name="checkin-mark"),
    path("patrols/", patrols.MySlotsView.as_view(), name="patrol-list"),
    path("patrols/slots/<int:pk>/", patrols.SlotView.as_view(), name="patrol-slot"),
    path("patrols/p/<str:code>/", patrols.ScanView.as_view(), name="patrol-scan"),
    path("patrols/points/<int:school_id>/qr/", patrols.PointSheetView.as_view(), name="patrol-qr"),
    path("roster/", roster.ClassListView.as_view(), name="roster"),
    path("roster/template/", roster.TemplateDownloadView.as_view(), name="roster-template"),
    path("roster/import/", roster.ImportView.as_view(), name="roster-import"),
    path("roster/export/<int:pk>/", roster.ExportView.as_view(), name="roster-export"),
]
