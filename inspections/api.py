"""``/api/v1/inspections/``, ``/api/v1/checklists/``, ``/api/v1/cross-inspection-rounds/``.

- Inspections: list/detail scoped by ``Inspection.objects.visible_to`` (the inspected
  school's people and a cross inspection's inspecting team; bureau all); filters in
  ``InspectionFilter``. ``POST {id}/answers/`` stores answers (JSON), ``POST {id}/photos/``
  adds photos to one stored answer (multipart), ``POST {id}/submit/``
  submits (400 with ``unanswered`` codes when incomplete), ``POST {id}/review/`` (bureau).
- ``GET calendar/?year=&month=``: the month's inspections by day and all overdue ones;
  ``GET coverage/?on=`` (bureau only): leaders' and cadres' coverage of the term.
- Checklists: read-only, with sections and items.
- Rounds: the bureau creates (pairings proposed), ``POST {id}/propose/``,
  ``PUT {id}/pairings/`` and ``POST {id}/publish/``. Others see the published rounds they
  take part in, with their own pairings only (``CrossInspectionRound.objects.visible_to``,
  as on the web); a draft is 404 to them.

Errors: out of scope 404; role 403; bad input or state 400 (core.exceptions).
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.permissions import ActionPermission
from core.sync import SyncViewSetMixin

from . import coverage, rounds, services
from .filters import InspectionFilter, RoundFilter
from .models import (
    Checklist,
    ChecklistSection,
    CrossInspectionRound,
    CrossPairing,
    Inspection,
    InspectionAnswer,
)
from .schedule import calendar_context, month_start
from .serializers import (
    AnswerPhotosInputSerializer,
    AnswersInputSerializer,
    CalendarParamsSerializer,
    CalendarSerializer,
    ChecklistSerializer,
    CoverageParamsSerializer,
    CoverageSerializer,
    InspectionSerializer,
    PairingsInputSerializer,
    PlanInspectionSerializer,
    ReviewInputSerializer,
    RoundSerializer,
    SubmitInputSerializer,
)

BUREAU_ONLY = _("只有教体局可以执行此操作。")


@extend_schema(tags=["inspections"])
class InspectionViewSet(SyncViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Inspections in the user's scope; writes through the inspection services.
    ``POST`` plans a joint, self or spot inspection (``PlanInspectionSerializer``)."""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    # Planning, filling and reviewing are asked of the object by the services.
    action_permissions = {"coverage": "inspections.view_coverage"}
    permission_denied_message = BUREAU_ONLY

    def get_queryset(self):
        answers = InspectionAnswer.objects.select_related("item").prefetch_related("photos")
        return (
            Inspection.objects.visible_to(self.request.user)
            .select_related("school", "inspecting_school")
            .prefetch_related("departments", Prefetch("answers", queryset=answers))
            .distinct()
        )

    @extend_schema(request=PlanInspectionSerializer, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        data = self._input(PlanInspectionSerializer)
        inspection = services.plan_inspection(actor=request.user, **data.validated_data)
        body = self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswersInputSerializer, responses={200: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        data = self._input(AnswersInputSerializer)
        services.answer_items(self.get_object(), actor=request.user, answers=data.as_dict())
        return self._fresh()

    @extend_schema(parameters=[CalendarParamsSerializer], responses={200: CalendarSerializer})
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def calendar(self, request):
        params = CalendarParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        first = month_start(params.validated_data, timezone.localdate())
        context = calendar_context(request.user, first)
        days = [{"date": day, "inspections": rows} for day, rows in context["days"]]
        return Response(
            CalendarSerializer(
                {
                    "month": first,
                    "days": days,
                    "overdue": context["overdue"],
                    "overdue_total": context["overdue_total"],
                }
            ).data
        )

    @extend_schema(parameters=[CoverageParamsSerializer], responses={200: CoverageSerializer})
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def coverage(self, request):
        params = CoverageParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        term = coverage.term_bounds(params.validated_data.get("on") or timezone.localdate())
        return Response(
            CoverageSerializer(
                {
                    "term_start": term[0],
                    "term_end": term[1],
                    "assignments": coverage.assignment_coverage(term),
                    "uncovered": coverage.uncovered_schools(term).order_by("code"),
                }
            ).data
        )

    @extend_schema(
        request={"multipart/form-data": AnswerPhotosInputSerializer},
        responses={200: InspectionSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photos(self, request, pk=None):
        data = self._input(AnswerPhotosInputSerializer)
        services.add_answer_photos(self.get_object(), actor=request.user, **data.validated_data)
        return self._fresh()

    @extend_schema(request=SubmitInputSerializer, responses={200: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = self._input(SubmitInputSerializer)
        inspection = self.get_object()
        if data.validated_data["answers"]:
            services.answer_items(inspection, actor=request.user, answers=data.as_dict())
        services.submit_inspection(
            inspection, actor=request.user, summary=data.validated_data.get("summary")
        )
        return self._fresh()

    @extend_schema(request=ReviewInputSerializer, responses={200: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = self._input(ReviewInputSerializer)
        services.review_cross_inspection(
            self.get_object(), actor=request.user, **data.validated_data
        )
        return self._fresh()

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer

    def _fresh(self):
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema(tags=["inspections"])
class ChecklistViewSet(SyncViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The checklist library (检查标准), read-only: the bureau edits it in the admin."""

    serializer_class = ChecklistSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        sections = ChecklistSection.objects.prefetch_related("items")
        return Checklist.objects.prefetch_related(Prefetch("sections", queryset=sections))


@extend_schema(tags=["inspections"])
class RoundViewSet(SyncViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cross-inspection rounds; the bureau opens, edits and publishes them."""

    queryset = CrossInspectionRound.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = RoundSerializer
    filterset_class = RoundFilter
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    action_permissions = {"write": "inspections.manage_round"}
    permission_denied_message = BUREAU_ONLY

    def get_queryset(self):
        user = self.request.user
        pairings = CrossPairing.objects.visible_to(user).select_related("inspector", "inspected")
        return CrossInspectionRound.objects.visible_to(user).prefetch_related(
            "schools", Prefetch("pairings", queryset=pairings)
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rnd = rounds.open_round(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._reload(rnd)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RoundSerializer})
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        rounds.propose_round_pairings(self.get_object(), actor=request.user)
        return self._fresh()

    @extend_schema(request=PairingsInputSerializer, responses={200: RoundSerializer})
    @action(detail=True, methods=["put"])
    def pairings(self, request, pk=None):
        data = PairingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inspector_of = {b: a for a, b in data.validated_data["pairings"]}
        rounds.set_pairings(self.get_object(), actor=request.user, inspector_of=inspector_of)
        return self._fresh()

    @extend_schema(request=None, responses={200: RoundSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        rounds.publish_round(self.get_object(), actor=request.user)
        return self._fresh()

    def _reload(self, rnd):
        return self.get_queryset().get(pk=rnd.pk)

    def _fresh(self):
        return Response(self.get_serializer(self._reload(self.get_object())).data)
