"""HTML pages of inspections under /inspections/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection-list"),
    path("new/", views.InspectionCreateView.as_view(), name="inspection-create"),
    path("calendar/", views.InspectionCalendarView.as_view(), name="inspection-calendar"),
    path("coverage/", views.CoverageView.as_view(), name="inspection-coverage"),
    path("committee/", views.CommitteeView.as_view(), name="inspection-committee"),
    path("rounds/", views.RoundListView.as_view(), name="round-list"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round-detail"),
    path("rounds/<int:pk>/<str:action>/", views.RoundActionView.as_view(), name="round-action"),
    path("photos/<uuid:uuid>/", views.AnswerPhotoView.as_view(), name="inspection-photo"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="inspection-detail"),
    path("<int:pk>/fill/", views.InspectionFillView.as_view(), name="inspection-fill"),
    path("<int:pk>/answer/", views.InspectionAnswerView.as_view(), name="inspection-answer"),
    path("<int:pk>/review/", views.InspectionReviewView.as_view(), name="inspection-review"),
]
