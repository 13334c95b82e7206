"""HTML pages of the drill records under /drills/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.DrillListView.as_view(), name="drill-list"),
    path("new/", views.DrillCreateView.as_view(), name="drill-create"),
]
