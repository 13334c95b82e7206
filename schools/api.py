from rest_framework import viewsets


class SchoolViewSet(viewsets.ViewSet):
    pass
