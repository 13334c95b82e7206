"""Sign in and out: Django's auth views with our Chinese templates (registration/); sign-in
through ``SignInView`` (lock-out, rate limit, API-only accounts refused)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
