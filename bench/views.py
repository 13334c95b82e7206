"""The framework floor: what the stack costs with (almost) no work of the app's own.

``TrivialPage`` renders the project's base template for a signed-in user (menu, messages,
language switch: what every page pays); ``TrivialApi`` answers one row through DRF with the
project's authentication and permission classes (token or session). Only in bench.urls.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView
from rest_framework.response import Response
from rest_framework.views import APIView


class TrivialPage(LoginRequiredMixin, TemplateView):
    template_name = "base.html"


class TrivialApi(APIView):
    def get(self, request):
        return Response({"id": request.user.pk, "username": request.user.username})
