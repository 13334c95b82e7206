"""HTML pages of the risk register under /risks/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.RegisterView.as_view(), name="risk-register"),
    path("points/new/", views.PointCreateView.as_view(), name="risk-point-create"),
    path("points/<int:pk>/", views.PointDetailView.as_view(), name="risk-point-detail"),
    path("points/<int:pk>/edit/", views.PointUpdateView.as_view(), name="risk-point-update"),
    path("points/<int:pk>/assess/", views.AssessView.as_view(), name="risk-point-assess"),
    path("points/<int:pk>/check/", views.CheckView.as_view(), name="risk-point-check"),
    path("points/<int:pk>/link/", views.LinkView.as_view(), name="risk-point-link"),
    path("schools/<int:school_id>/map/", views.MapView.as_view(), name="risk-map"),
    path(
        "schools/<int:school_id>/plan/",
        views.SitePlanUploadView.as_view(),
        name="risk-site-plan-upload",
    ),
    path("schools/<int:school_id>/place/", views.PlaceView.as_view(), name="risk-point-place"),
    path("schools/<int:school_id>/starter/", views.StarterView.as_view(), name="risk-starter"),
    path("plans/<uuid:uuid>/", views.SitePlanImageView.as_view(), name="risk-site-plan-image"),
    path("analytics/", views.AnalyticsView.as_view(), name="risk-analytics"),
    path(
        "analytics/<slug:key>.xlsx",
        views.AnalyticsExportView.as_view(),
        name="risk-analytics-export",
    ),
]
