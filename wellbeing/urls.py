"""HTML pages of the sealed mental-health domain under /wellbeing/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="wellbeing-index"),
    path("records/", views.FileListView.as_view(), name="wellbeing-records"),
    path("records/new/", views.RecordOpenView.as_view(), name="wellbeing-record-open"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="wellbeing-record"),
    path("records/<int:pk>/level/", views.LevelView.as_view(), name="wellbeing-level"),
    path("records/<int:pk>/plan/", views.PlanView.as_view(), name="wellbeing-plan"),
    path(
        "records/<int:pk>/screenings/new/",
        views.ScreeningView.as_view(),
        name="wellbeing-screening",
    ),
    path(
        "records/<int:pk>/referrals/new/", views.ReferralView.as_view(), name="wellbeing-referral"
    ),
    path(
        "records/<int:pk>/break-glass/",
        views.BreakGlassView.as_view(),
        name="wellbeing-break-glass",
    ),
    path("screenings/import/", views.ScreeningImportView.as_view(), name="wellbeing-import"),
    path("access-log/", views.AccessLogView.as_view(), name="wellbeing-access-log"),
    path("counts/", views.CountsView.as_view(), name="wellbeing-counts"),
    path("bullying/", views.BullyingListView.as_view(), name="bullying-list"),
    path("bullying/new/", views.BullyingCreateView.as_view(), name="bullying-create"),
    path("bullying/<int:pk>/close/", views.BullyingCloseView.as_view(), name="bullying-close"),
]
