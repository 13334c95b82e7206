"""API paging: ``?page=`` and ``?page_size=`` (default 50, at most 500).

A page past the end is an empty page (``results`` empty, ``next`` null: a client's loop
stops; ``previous`` the last page with rows, or null when there is none), not an error; a
page that is not a positive whole number is a 400 naming ``page`` (``PAGE_NUMBER_MESSAGE``).
Deep reading of a long list goes through the keyset feed (``cursor=``, ``core.sync``), whose
cost does not grow with the depth.

Reports that answer an object with a per-school part (the yearly report, the supervision
summary) page that part with ``SchoolPageSerializer`` and ``school_page``: ``schools_count``,
``schools_next``, ``schools_previous`` beside the rows.
"""

from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class FirstPagePaginator(DjangoPaginator):
    """Django's paginator for the pages' tables, whose ``get_page`` answers the first page
    for a page number that is not a positive whole number (``0``, ``-1``, ``x``; Django's
    own answers the last page for the non-positive ones) and the last page past the end."""

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        return super().get_page(max(number, 1))


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


class SchoolPageSerializer(serializers.Serializer):
    """A report's page of schools: ``page`` (≥ 1, default 1) and ``page_size`` (1–500,
    default 100: a county's schools on one page). Bad values: 400 naming the field."""

    page = serializers.IntegerField(
        min_value=1,
        default=1,
        error_messages={"invalid": PAGE_NUMBER_MESSAGE, "min_value": PAGE_NUMBER_MESSAGE},
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=500,
        default=100,
        error_messages={
            "invalid": _("每页学校数须为 1–500 的整数。"),
            "min_value": _("每页学校数须为 1–500 的整数。"),
            "max_value": _("每页学校数须为 1–500 的整数。"),
        },
    )


def school_page(request, queryset) -> tuple[list, dict]:
    """One page of ``queryset`` (the schools, or rows of them) by the request's ``page`` and
    ``page_size`` (``SchoolPageSerializer``; ``ValidationError`` when bad): ``(rows of the
    page — empty past the end, {"schools_count", "schools_next", "schools_previous"})``,
    the links absolute URLs or None at the ends. Two queries (the count, the page)."""
    paging = SchoolPageSerializer(data=request.query_params)
    paging.is_valid(raise_exception=True)
    paginator = DjangoPaginator(queryset, paging.validated_data["page_size"])
    number = paging.validated_data["page"]
    last = paginator.num_pages
    rows = list(paginator.page(number)) if number <= last else []

    def link(n: int, exists: bool) -> str | None:
        return replace_query_param(request.build_absolute_uri(), "page", n) if exists else None

    return rows, {
        "schools_count": paginator.count,
        "schools_next": link(number + 1, number < last),
        "schools_previous": link(number - 1, 1 < number <= last),
    }
