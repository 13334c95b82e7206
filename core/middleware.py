"""``Cache-Control: private, no-store`` on every answer a view produces.

Nearly every page and API answer holds people's names, a school's hazards or counselling
records, and the few public ones (the 随手拍 form and tracking page) carry a CSRF token or a
tracking code: no browser, proxy or CDN should keep any of them. A view that decides its own
caching (sets Cache-Control) keeps it. Placed after WhiteNoise, which answers static files
itself with long-lived caching.
"""

from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
