"""``/api/v1/hazards/``: the hazard ledger and its 查、改、督、销 workflow.

- ``GET /hazards/`` list (``HazardFilter``; no timeline), ``GET /hazards/{id}/`` detail with
  the event timeline, photo URLs and the transitions the user may perform.
- ``POST /hazards/`` reports a hazard through ``services.report_hazard`` (201). A ``school``
  outside the user's scope is a 400 field error on ``school`` (the same "does not exist" as
  an unknown id, so other schools are not revealed); the service re-checks the scope and the
  role. A ``client_id`` already stored is a retry: 200 with the hazard the first call made.
- ``POST /hazards/{id}/{transition}/`` for assign, submit_rectification, reject_rectification,
  close and dismiss: one service call each, answered with the fresh hazard (200).
- No PUT, PATCH or DELETE (405): the workflow is the only way to change a hazard.

Errors: hazard outside the scope 404; role, school or separation of duties 403; bad input or
wrong state 400 with ``detail`` and per-field messages (core.exceptions).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.exceptions import NotPermitted
from core.parsers import FILE_PARSERS
from core.permissions import ActionPermission
from core.sync import SyncViewSetMixin

from . import refusals, remediation_services, selectors, services
from .filters import HazardFilter
from .models import Hazard, HazardEvent, RemediationExpense
from .serializers import (
    HazardAssignSerializer,
    HazardCloseSerializer,
    HazardCreateSerializer,
    HazardDetailSerializer,
    HazardDismissSerializer,
    HazardListSerializer,
    HazardRejectRectificationSerializer,
    HazardSubmitRectificationSerializer,
    HazardSuperviseSerializer,
    RemediationExpenseSerializer,
    RemediationProjectSerializer,
)

ERRORS = {
    400: OpenApiResponse(description=_("输入无效或当前状态不允许：detail 及各字段的错误信息。")),
    403: OpenApiResponse(description=_("角色、学校或职责分离不允许此操作。")),
    404: OpenApiResponse(description=_("隐患不存在或不在您的范围内。")),
}
TRANSITION_RESPONSES = {200: HazardDetailSerializer, **ERRORS}


def _transition_schema(serializer, summary):
    return extend_schema(request=serializer, responses=TRANSITION_RESPONSES, summary=summary)


@extend_schema(tags=["hazards"])
@extend_schema_view(
    list=extend_schema(summary=_("隐患台账")),
    retrieve=extend_schema(summary=_("隐患详情（含处理记录与照片）")),
    create=extend_schema(
        summary=_("登记隐患"),
        request=HazardCreateSerializer,
        responses={
            201: HazardDetailSerializer,
            200: HazardDetailSerializer,
            400: ERRORS[400],
            403: ERRORS[403],
        },
    ),
)
class HazardViewSet(
    SyncViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Hazards in the user's scope; writes only through the workflow services."""

    filterset_class = HazardFilter
    parser_classes = FILE_PARSERS  # photos on the report and the workflow steps
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    # A read-only client's writes are refused before the body is read; each write then asks
    # its own permission of its object (``_transition``) or school (the service).
    action_permissions = {"write": "hazards.write_hazard"}

    def get_queryset(self):
        queryset = Hazard.objects.visible_to(self.request.user)
        if self.action == "list":
            return queryset.select_related(
                "school", "reported_by", "responsible", "supervising_leader"
            )
        if self.action == "retrieve":
            return self._with_detail(queryset)
        return queryset  # transitions: the service locks and re-reads the row

    def get_serializer_class(self):
        return HazardListSerializer if self.action == "list" else HazardDetailSerializer

    def create(self, request, *args, **kwargs):
        context = self.get_serializer_context()
        serializer = HazardCreateSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            hazard = services.report_hazard(data.pop("school"), actor=request.user, **data)
        except services.AlreadyReported as exc:  # a retry: the hazard the first call made
            return Response(self._fresh(exc.hazard), status=status.HTTP_200_OK)
        return Response(self._fresh(hazard), status=status.HTTP_201_CREATED)

    @_transition_schema(HazardAssignSerializer, _("交办整改（查→改）"))
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._transition("assign", HazardAssignSerializer, services.assign_hazard)

    @_transition_schema(HazardSubmitRectificationSerializer, _("提交整改（改→督）"))
    @action(detail=True, methods=["post"])
    def submit_rectification(self, request, pk=None):
        serializer_class = HazardSubmitRectificationSerializer
        return self._transition(
            "submit_rectification", serializer_class, services.submit_rectification
        )

    @_transition_schema(HazardRejectRectificationSerializer, _("验收不通过（督→改）"))
    @action(detail=True, methods=["post"])
    def reject_rectification(self, request, pk=None):
        serializer_class = HazardRejectRectificationSerializer
        return self._transition(
            "reject_rectification", serializer_class, services.reject_rectification
        )

    @_transition_schema(HazardCloseSerializer, _("验收销号（督→销）"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition("close", HazardCloseSerializer, services.close_hazard)

    @_transition_schema(HazardDismissSerializer, _("不予立案"))
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._transition("dismiss", HazardDismissSerializer, services.dismiss_hazard)

    @_transition_schema(HazardSuperviseSerializer, _("挂牌督办：指定或取消督办领导"))
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        """Bureau staff name the supervising leader of an open major hazard (null removes);
        the leader is then told of every step and of its overdue escalation."""
        hazard = self.get_object()
        serializer = HazardSuperviseSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        leader = serializer.validated_data["leader"]
        services.set_supervising_leader(hazard, actor=request.user, leader=leader)
        return Response(self._fresh(hazard))

    # --- internals ---------------------------------------------------------------------

    def _transition(self, name, serializer_class, service):
        """404 out of scope, then 403 for a role that may never do this to this hazard
        (before the body is looked at), then 400 for bad input; the service decides state
        and separation of duties under a row lock."""
        hazard = self.get_object()
        reason = refusals.permission_refusal(self.request.user, hazard, name)
        if reason:  # the same sentence as the hazard page's (hazards.refusals)
            raise NotPermitted(reason)
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        service(hazard, actor=self.request.user, **serializer.validated_data)
        return Response(self._fresh(hazard))

    def _fresh(self, hazard):
        fresh = self._with_detail(Hazard.objects.filter(pk=hazard.pk)).get()
        return HazardDetailSerializer(fresh, context=self.get_serializer_context()).data

    @staticmethod
    def _with_detail(queryset):
        events = HazardEvent.objects.select_related("actor").prefetch_related("photos")
        return queryset.select_related(
            "school",
            "reported_by",
            "responsible",
            "submitted_by",
            "closed_by",
            "supervising_leader",
        ).prefetch_related(Prefetch("events", queryset=events), "photos")


@extend_schema(tags=["remediation"])
class RemediationProjectViewSet(
    SyncViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """``/api/v1/remediation-projects/``: projects linked to the user's schools (all for the
    bureau); ``POST`` creates one and ``POST …/{id}/expenses/`` records an expense, both
    through ``hazards.remediation_services`` (bureau staff: ``hazards.manage_remediation``)."""

    serializer_class = RemediationProjectSerializer
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    action_permissions = {"write": "hazards.manage_remediation"}

    def get_queryset(self):
        projects = selectors.with_spent(selectors.projects_visible_to(self.request.user))
        return projects.prefetch_related("schools", "hazards")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = remediation_services.create_project(
            actor=request.user, **serializer.validated_data
        )
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RemediationExpenseSerializer, responses={201: RemediationExpenseSerializer}
    )
    @action(detail=True, methods=["post"])
    def expenses(self, request, pk=None):
        project = self.get_object()
        context = self.get_serializer_context()
        serializer = RemediationExpenseSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        expense = remediation_services.record_expense(
            project, actor=request.user, **serializer.validated_data
        )
        data = RemediationExpenseSerializer(expense, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["remediation"])
class RemediationExpenseViewSet(SyncViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """``/api/v1/remediation-expenses/``: expenses of the user's schools."""

    serializer_class = RemediationExpenseSerializer
    filterset_fields = ["project", "school"]

    def get_queryset(self):
        return RemediationExpense.objects.visible_to(self.request.user)
