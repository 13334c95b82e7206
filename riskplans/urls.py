"""HTML page of risk-based planning under /risk-plans/."""

from django.urls import path

from . import views

urlpatterns = [
    path("schools/<int:school_id>/", views.GenerateView.as_view(), name="risk-plans-generate"),
]
