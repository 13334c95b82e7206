"""Public 随手拍 pages under /s/ (no login): a school's report form by its unguessable
token, and the tracking page where a reporter sees the coarse status of a report."""

from django.urls import path

from .views import public

urlpatterns = [
    path("track/", public.TrackView.as_view(), name="public-track"),
    path("<str:token>/", public.PublicSnapshotView.as_view(), name="public-snapshot"),
]
