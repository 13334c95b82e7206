"""HTML pages of education activities and counselling sessions under /education/."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="activity-list"), name="education-index"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path("counselling/", views.CounsellingListView.as_view(), name="counselling-list"),
    path("counselling/new/", views.CounsellingCreateView.as_view(), name="counselling-create"),
]
