"""Web addresses of the schools app under /schools/."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.school_search, name="school-search"),
    path("import/", views.ImportView.as_view(), name="school-import"),
    path("import/confirm/", views.ImportConfirmView.as_view(), name="school-import-confirm"),
    path("import/template/<str:kind>/", views.import_template, name="school-import-template"),
]
