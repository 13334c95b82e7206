"""API paging: ``?page=`` and ``?page_size=`` (default 50, at most 500).

A page past the end is an empty page (``results`` empty, ``next`` null: a client's loop
stops; ``previous`` the last page with rows, or null when there is none), not an error; a
page that is not a positive whole number is a 400 naming ``page`` (``PAGE_NUMBER_MESSAGE``).
Deep reading of a long list goes through the keyset feed (``cursor=``, ``core.sync``), whose
cost does not grow with the depth.
"""

from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class _PastTheEndPaginator(DjangoPaginator):
    """Django's paginator, with a page past the last one empty instead of ``EmptyPage``."""

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) > 1:
                return int(number)
            raise


# The one wording of a bad page number, here and in the yearly report's page of schools.
PAGE_NUMBER_MESSAGE = _("页码须为正整数。")


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = _PastTheEndPaginator

    def get_page_number(self, request, paginator):
        number = super().get_page_number(request, paginator)
        if number in self.last_page_strings or (str(number).isdigit() and int(number) >= 1):
            return number
        raise ValidationError({"page": [PAGE_NUMBER_MESSAGE]}, code="invalid")

    def get_previous_link(self):
        paginator = self.page.paginator
        if self.page.number <= paginator.num_pages:
            return super().get_previous_link()
        if not paginator.count:  # past the end of nothing: no page has rows
            return None
        url = self.request.build_absolute_uri()
        if paginator.num_pages == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, paginator.num_pages)
