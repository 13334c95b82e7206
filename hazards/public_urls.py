"""Public 随手拍 pages under /s/ (no login): a school's report form by its unguessable
token, and the tracking page where a reporter sees the coarse status of a report."""
from django.urls import path

from . import snapshot

urlpatterns = [
    path("track/", snapshot.TrackView.as_view(), name="public-track"),
    path("<str:token>/", snapshot.PublicSnapshotView.as_view(), name="public-snapshot"),
]
