"""Root URLs: web dashboard at /, admin, REST API under /api/v1/, OpenAPI at /api/schema/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import set_language
from core.views import api_guide, health

urlpatterns = [
    path("health/", health, name="health"),  # load balancer: no sign-in, JSON, 200 or 503
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),  # stores a signed-in user's choice
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("campussafety.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/guide/", api_guide, name="api-guide"),  # docs/api.md, linked from /api/docs/
    path("hazards/", include("hazards.urls")),
    path("inspections/", include("inspections.urls")),
    path("drills/", include("drills.urls")),
    path("education/", include("education.urls")),
    path("supervision/", include("supervision.urls")),
    path("wellbeing/", include("wellbeing.urls")),
    path("risks/", include("risks.urls")),
    path("risk-plans/", include("riskplans.urls")),
    path("s/", include("hazards.public_urls")),  # public 随手拍: no login
    path("notifications/", include("notifications.urls")),
    path("schools/", include("schools.urls")),
    path("", include("reports.urls")),
]
# No /media/ route, not even with DEBUG: photos and exports are private files, handed out
# only by views that check who asks (core.files).
