from rest_framework import viewsets


class HazardViewSet(viewsets.ViewSet):
    pass
