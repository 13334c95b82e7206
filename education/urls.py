"""HTML pages of education activities and counselling sessions under /education/."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="activity-list"), name="education-index"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path(
        "activities/photos/<uuid:uuid>/", views.ActivityPhotoView.as_view(), name="activity-photo"
    ),
    path("coverage/", views.CoverageView.as_view(), name="education-coverage"),
    path("compliance/", views.ComplianceView.as_view(), name="education-compliance"),
    path("trainings/", views.TrainingListView.as_view(), name="training-list"),
    path("trainings/new/", views.TrainingCreateView.as_view(), name="training-create"),
    path("counselling/", views.CounsellingListView.as_view(), name="counselling-list"),
    path("counselling/new/", views.CounsellingCreateView.as_view(), name="counselling-create"),
]
