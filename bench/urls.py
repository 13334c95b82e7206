"""URLs of the benchmark: the project's, plus the trivial views of the framework floor."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/page/", views.TrivialPage.as_view(), name="bench-page"),
    path("bench/api/", views.TrivialApi.as_view(), name="bench-api"),
    path("", include("campussafety.urls")),
]
