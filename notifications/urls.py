"""The inbox under /notifications/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.InboxView.as_view(), name="notification-list"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="notification-read"),
    path("read-all/", views.MarkAllReadView.as_view(), name="notification-read-all"),
    path("preferences/", views.PreferenceView.as_view(), name="notification-preferences"),
]
