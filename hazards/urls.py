"""HTML pages of the hazard ledger under /hazards/."""
from django.urls import path

from . import remediation_views, snapshot, views

urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard-list"),
    path("new/", views.HazardCreateView.as_view(), name="hazard-create"),
    path("snapshot/", snapshot.SnapshotView.as_view(), name="snapshot"),
    path("snapshot/similar/", snapshot.SimilarHazardsView.as_view(), name="snapshot-similar"),
    path("snapshot/posters/", snapshot.PosterListView.as_view(), name="snapshot-posters"),
    path("snapshot/posters/<int:school_id>/", snapshot.PosterView.as_view(), name="snapshot-poster"),
    path("projects/", remediation_views.ProjectListView.as_view(), name="remediation-list"),
    path("projects/new/", remediation_views.ProjectCreateView.as_view(), name="remediation-create"),
    path("projects/<int:pk>/", remediation_views.ProjectDetailView.as_view(), name="remediation-detail"),
    path("projects/<int:pk>/edit/", remediation_views.ProjectUpdateView.as_view(), name="remediation-update"),
    path("projects/<int:pk>/expenses/", remediation_views.ExpenseCreateView.as_view(), name="remediation-expense"),
    path("projects/<int:pk>/complete/", remediation_views.ProjectCompleteView.as_view(), name="remediation-complete"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard-detail"),
    path("<int:pk>/supervise/", remediation_views.SupervisingLeaderView.as_view(), name="hazard-supervise"),
    # Before the transition route, which would take "mark-duplicate" for a transition name.
    path("<int:pk>/mark-duplicate/", snapshot.MarkDuplicateView.as_view(), name="hazard-mark-duplicate"),
    path("<int:pk>/<str:transition>/", views.HazardTransitionView.as_view(), name="hazard-transition"),
]
