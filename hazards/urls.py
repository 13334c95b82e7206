"""HTML pages of the hazard ledger under /hazards/."""

from django.urls import path

from .views import ledger, photos, remediation, snapshot, workflow

urlpatterns = [
    path("", ledger.HazardListView.as_view(), name="hazard-list"),
    path("new/", ledger.HazardCreateView.as_view(), name="hazard-create"),
    path("snapshot/", snapshot.SnapshotView.as_view(), name="snapshot"),
    path("snapshot/similar/", snapshot.SimilarHazardsView.as_view(), name="snapshot-similar"),
    path("snapshot/posters/", snapshot.PosterListView.as_view(), name="snapshot-posters"),
    path(
        "snapshot/posters/<int:school_id>/", snapshot.PosterView.as_view(), name="snapshot-poster"
    ),
    path("photos/<uuid:uuid>/", photos.HazardPhotoView.as_view(), name="hazard-photo"),
    path(
        "photos/<uuid:uuid>/thumbnail/",
        photos.HazardPhotoView.as_view(thumbnail=True),
        name="hazard-photo-thumbnail",
    ),
    path("projects/", remediation.ProjectListView.as_view(), name="remediation-list"),
    path("projects/new/", remediation.ProjectCreateView.as_view(), name="remediation-create"),
    path("projects/<int:pk>/", remediation.ProjectDetailView.as_view(), name="remediation-detail"),
    path(
        "projects/<int:pk>/edit/",
        remediation.ProjectUpdateView.as_view(),
        name="remediation-update",
    ),
    path(
        "projects/<int:pk>/expenses/",
        remediation.ExpenseCreateView.as_view(),
        name="remediation-expense",
    ),
    path(
        "projects/<int:pk>/complete/",
        remediation.ProjectCompleteView.as_view(),
        name="remediation-complete",
    ),
    path("<int:pk>/", ledger.HazardDetailView.as_view(), name="hazard-detail"),
    path("<int:pk>/supervise/", workflow.SupervisingLeaderView.as_view(), name="hazard-supervise"),
    # Before the transition route, which would take "mark-duplicate" for a transition name.
    path(
        "<int:pk>/mark-duplicate/",
        workflow.MarkDuplicateView.as_view(),
        name="hazard-mark-duplicate",
    ),
    path(
        "<int:pk>/<str:transition>/",
        workflow.HazardTransitionView.as_view(),
        name="hazard-transition",
    ),
]
