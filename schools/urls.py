"""Web addresses of the schools app under /schools/."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.school_search, name="school-search"),
]
