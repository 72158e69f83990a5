"""Pay through the API: plan versions (the director uploads), periods with their company figures
and the calculate / approve / lock actions, payout lines with their explanations, statements and
their approval, disputes, and simulation — each read through ``restrict`` and written through
the pay actions, so that nobody approves or adjusts their own pay here either."""

from __future__ import annotations

import django_filters
from django.contrib.auth.models import User
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesrelay import rest
from salesrelay.compensation import design, simulation
from salesrelay.compensation.actions import (
    approve_period,
    approve_statement,
    calculate_period,
    currency,
    lock_period,
    raise_dispute,
    report_line,
    resolve_dispute,
)
from salesrelay.compensation.choices import LineSource
from salesrelay.compensation.models import Dispute, PayoutLine, Period, PlanVersion, Statement
from salesrelay.compensation.plans import load_plan, read_plan
from salesrelay.engine.periods import Month, PeriodError
from salesrelay.people.access import viewer_of
from salesrelay.people.models import Employee

MONTH_REGEX = r"\d{4}-\d{2}"


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except PeriodError:
        raise Http404 from None


@extend_schema_field({"type": "string", "pattern": "^\\d{4}-\\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month as ``YYYY-MM`` (stored as its first day)."""

    def to_representation(self, value):
        return f"{value:%Y-%m}"

    def to_internal_value(self, data):
        try:
            return Month.parse(str(data)).first
        except PeriodError as error:
            raise serializers.ValidationError(str(error)) from None


class PeriodFilter(django_filters.FilterSet):
    """``?period=YYYY-MM`` and ``?employee=ID`` for lines, statements and disputes."""

    period = django_filters.CharFilter(method="in_month")
    employee = django_filters.CharFilter(field_name="employee__ref")

    def in_month(self, queryset, name, value):
        return queryset.filter(period__month=_month(value).first)


class LineFilter(PeriodFilter):
    class Meta:
        model = PayoutLine
        fields = ["period", "employee", "source", "component"]


class StatementFilter(PeriodFilter):
    class Meta:
        model = Statement
        fields = ["period", "employee", "status"]


class DisputeFilter(PeriodFilter):
    class Meta:
        model = Dispute
        fields = ["period", "employee", "status"]


class PlanVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = ["number", "plan_ids", "loaded_at", "text"]


class NewPlanSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The whole plan file (TOML, SPEC §5).")


class PlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[^/]+"  # a malformed id is a JSON 404, not an HTML one
    serializer_class = PlanVersionSerializer
    lookup_field = "number"
    queryset = PlanVersion.objects.order_by("-number")
    filter_backends: list = []

    def get_serializer_class(self):
        return NewPlanSerializer if self.action == "create" else PlanVersionSerializer

    @extend_schema(request=NewPlanSerializer, responses={201: PlanVersionSerializer,
                                                         200: PlanVersionSerializer})
    def create(self, request):
        version, created = load_plan(rest.valid(NewPlanSerializer, request)["text"],
                                     actor=request.user)
        return Response(PlanVersionSerializer(version).data, status=201 if created else 200)


class PeriodSerializer(serializers.ModelSerializer):
    month = MonthField(read_only=True)
    plan_version: serializers.SlugRelatedField[PlanVersion] = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Period
        fields = ["month", "status", "plan_version", "calculated_at", "approved_at", "locked_at",
                  "collections", "gross_profit", "fixed_costs", "variable_pay",
                  "operating_result", "breakeven_revenue", "new_clients"]


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Pay periods; ``calculate`` makes (or replaces) a month's draft, ``approve`` approves every
    statement the caller approves, ``lock`` locks a month whose statements are all approved."""

    serializer_class = PeriodSerializer
    lookup_field = "month"
    lookup_value_regex = MONTH_REGEX
    filterset_fields = ["status"]

    def get_queryset(self):
        return Period.objects.select_related("plan_version").order_by("-month")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), month=_month(self.kwargs["month"]).first)

    def _period(self, month: Month) -> Response:
        return Response(PeriodSerializer(self.get_queryset().get(month=month.first)).data)

    @extend_schema(request=None, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def calculate(self, request, month=None):
        period = _month(month)
        calculate_period(period, actor=request.user)
        return self._period(period)

    @extend_schema(request=None, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, month=None):
        period = _month(month)
        approve_period(period, actor=request.user)
        return self._period(period)

    @extend_schema(request=None, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def lock(self, request, month=None):
        period = _month(month)
        lock_period(period, actor=request.user)
        return self._period(period)


class PayoutLineSerializer(serializers.ModelSerializer):
    period = MonthField(source="period.month", read_only=True)
    employee = rest.ref()
    client = rest.ref(allow_null=True)
    deal = rest.ref(allow_null=True)
    payment = rest.ref(allow_null=True)
    adjusts = MonthField(read_only=True, allow_null=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = PayoutLine
        fields = ["id", "period", "employee", "source", "plan_id", "component", "kind", "amount",
                  "client", "deal", "deal_number", "payment", "adjusts", "reason", "explanation"]

    def get_explanation(self, line) -> str:
        return report_line(line).explanation


class PayoutLineViewSet(viewsets.ReadOnlyModelViewSet):
    """The lines of the periods that have been calculated, for the employees whose pay the caller
    may read (``?period=YYYY-MM&employee=ID``)."""
    lookup_value_regex = "[^/]+"  # a malformed id is a JSON 404, not an HTML one

    serializer_class = PayoutLineSerializer
    filterset_class = LineFilter

    def get_queryset(self):
        return (PayoutLine.objects.restrict(viewer_of(self.request))
                .exclude(period__status="open")
                .select_related("period", "employee", "client", "deal", "payment")
                .order_by("-period__month", "employee__name", "position", "id"))


class StatementSerializer(serializers.ModelSerializer):
    period = MonthField(source="period.month", read_only=True)
    employee = rest.ref()
    approved_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Statement
        fields = ["id", "period", "employee", "total", "status", "approved_by", "approved_at"]


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    """One employee's pay in one calculated period; ``approve`` by the approver the access rules
    name (heads their department's, the director the heads', the accountant the director's)."""
    lookup_value_regex = "[^/]+"  # a malformed id is a JSON 404, not an HTML one

    serializer_class = StatementSerializer
    filterset_class = StatementFilter

    def get_queryset(self):
        viewer = viewer_of(self.request)
        employees = Employee.objects.restrict(viewer, "approve" if self.action == "approve"
                                              else "read")
        return (Statement.objects.filter(employee__in=employees)
                .select_related("period", "employee", "approved_by")
                .order_by("-period__month", "employee__name", "id"))

    @extend_schema(request=None, responses={200: StatementSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        statement = approve_statement(self.get_object(), actor=request.user)
        return Response(StatementSerializer(Statement.objects.select_related(
            "period", "employee", "approved_by").get(pk=statement.pk)).data)


class DisputeSerializer(serializers.ModelSerializer):
    period = MonthField(source="period.month", read_only=True)
    employee = rest.ref()
    adjustment = serializers.DecimalField(source="adjustment.amount", max_digits=18,
                                          decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Dispute
        fields = ["id", "line", "period", "employee", "line_summary", "comment", "raised_at",
                  "status", "resolution", "resolved_at", "adjustment"]


class NewDisputeSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The id of one of the caller's own payout lines.")
    comment = serializers.CharField(max_length=2000)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=2000)
    adjustment = rest.money_field(required=False, allow_null=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class DisputeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Disputes: raise one on one's own line; ``resolve`` by the employee's approver, never by
    the employee, with an optional manual adjustment that carries a reason."""
    lookup_value_regex = "[^/]+"  # a malformed id is a JSON 404, not an HTML one

    filterset_class = DisputeFilter

    def get_queryset(self):
        return (Dispute.objects.restrict(viewer_of(self.request),
                                         "resolve" if self.action == "resolve" else "read")
                .select_related("period", "employee", "adjustment").order_by("-raised_at", "-id"))

    def get_serializer_class(self):
        return {"create": NewDisputeSerializer, "resolve": ResolveSerializer}.get(
            self.action, DisputeSerializer)

    @extend_schema(request=NewDisputeSerializer, responses={201: DisputeSerializer})
    def create(self, request):
        data = rest.valid(NewDisputeSerializer, request)
        viewer = viewer_of(request)
        line = get_object_or_404(PayoutLine.objects.restrict(viewer, "dispute").exclude(
            source=LineSource.FORFEITED).select_related("period", "employee"), pk=data["line"])
        dispute = raise_dispute(line, employee=viewer.employee, comment=data["comment"],
                                actor=request.user)
        return Response(DisputeSerializer(dispute).data, status=201)

    @extend_schema(request=ResolveSerializer, responses={200: DisputeSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        dispute = self.get_object()
        data = rest.valid(ResolveSerializer, request)
        resolved = resolve_dispute(dispute, resolution=data["resolution"], actor=request.user,
                                   adjustment=data.get("adjustment"),
                                   reason=data.get("reason", ""))
        return Response(DisputeSerializer(Dispute.objects.select_related(
            "period", "employee", "adjustment").get(pk=resolved.pk)).data)


class SimulationSerializer(serializers.Serializer):
    plan = serializers.CharField(help_text="A plan file (TOML).")
    compare = serializers.CharField(required=False, allow_blank=True,
                                    help_text="A second plan file to compare with.")
    first = serializers.RegexField(MONTH_REGEX, help_text="From YYYY-MM.")
    last = serializers.RegexField(MONTH_REGEX, help_text="To YYYY-MM.")


class SimulationViewSet(viewsets.GenericViewSet):
    """Replay past months under one or two plan files; nothing is stored. A head sees the pay of
    their department's employees; the company's figures are everybody's."""

    serializer_class = SimulationSerializer
    filter_backends: list = []

    @extend_schema(request=SimulationSerializer, responses={200: OpenApiTypes.OBJECT})
    def create(self, request):
        data = rest.valid(SimulationSerializer, request)
        plans = [("Plan A", read_plan(data["plan"]))]
        if data.get("compare", "").strip():
            plans.append(("Plan B", read_plan(data["compare"])))
        first, last = simulation.parse_month(data["first"]), simulation.parse_month(data["last"])
        result = simulation.run_simulation(plans, first, last)
        visible = set(Employee.objects.restrict(viewer_of(request)).values_list("ref", flat=True))
        return Response(simulation.only_employees(
            simulation.as_json(result, first, last, currency()), visible))


class DesignSerializer(serializers.Serializer):
    first = serializers.RegexField(MONTH_REGEX, help_text="From YYYY-MM.")
    last = serializers.RegexField(MONTH_REGEX, help_text="To YYYY-MM.")
    hunter_multiple = serializers.CharField(
        required=False, default="2.0", max_length=8,
        help_text="The hunters' median and lowest pay at least this many times market salary.")


class DesignViewSet(viewsets.GenericViewSet):
    """The plan designer: the plan in force's parameters searched on the history of a range; the
    best candidates side by side and the chosen plan file (``plan``, when one meets the
    targets). Nothing is stored. A head sees the pay of their department's employees."""

    serializer_class = DesignSerializer
    filter_backends: list = []

    @extend_schema(request=DesignSerializer, responses={200: OpenApiTypes.OBJECT})
    def create(self, request):
        data = rest.valid(DesignSerializer, request)
        first, last = simulation.parse_month(data["first"]), simulation.parse_month(data["last"])
        result = design.run_design(first, last, design.parse_multiple(data["hunter_multiple"]))
        visible = set(Employee.objects.restrict(viewer_of(request)).values_list("ref", flat=True))
        return Response(design.as_json(result, visible))
