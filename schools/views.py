"""Web reads of the schools for pickers: the remote search of a searchable school select."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from .models import School

SEARCH_LIMIT = 20


@require_safe
@login_required
def school_search(request):
    """GET ``?q=`` → ``{"results": [{"id", "text"}]}``: at most ``SEARCH_LIMIT`` schools of the
    user's scope whose name or code contains ``q`` (all of them, by name, for an empty q)."""
    query = request.GET.get("q", "").strip()[:50]
    schools = School.objects.visible_to(request.user)
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(code__icontains=query))
    rows = schools.order_by("name", "pk").values_list("pk", "name")[:SEARCH_LIMIT]
    return JsonResponse({"results": [{"id": pk, "text": name} for pk, name in rows]})
