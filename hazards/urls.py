"""HTML pages of the hazard ledger under /hazards/."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard-list"),
    path("new/", views.HazardCreateView.as_view(), name="hazard-create"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard-detail"),
    path("<int:pk>/<str:transition>/", views.HazardTransitionView.as_view(), name="hazard-transition"),
]
