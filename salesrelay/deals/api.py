"""Deals through the API: read them with their lines, costs, number and profit; open one, add
lines and costs, move it through the stages, win, lose or cancel it — the pages' actions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesrelay import rest
from salesrelay.deals import actions
from salesrelay.deals.choices import CostCategory
from salesrelay.deals.filters import DealFilter
from salesrelay.deals.models import Deal, DealLine, DirectCost, Product
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.people.access import viewer_of
from salesrelay.people.choices import Role
from salesrelay.people.models import Employee
from salesrelay.pipeline.models import PipelineStage

money_field, day_field = rest.money_field, rest.day_field


class LineSerializer(serializers.ModelSerializer):
    product: serializers.SlugRelatedField[Product] = serializers.SlugRelatedField(
        slug_field="sku", read_only=True, allow_null=True)

    class Meta:
        model = DealLine
        fields = ["id", "product", "description", "quantity", "unit_price", "unit_cost"]


class CostSerializer(serializers.ModelSerializer):
    class Meta:
        model = DirectCost
        fields = ["id", "category", "amount", "note"]


class DealSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="ref", read_only=True)
    client = rest.ref()
    owner = rest.ref()
    stage: serializers.SlugRelatedField[PipelineStage] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True)
    cost = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    profit = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Deal
        fields = ["id", "client", "owner", "title", "stage", "status", "created_on", "won_on",
                  "closed_on", "number", "amount", "cost", "profit"]


class DealDetailSerializer(DealSerializer):
    lines = LineSerializer(many=True, read_only=True)
    direct_costs = CostSerializer(many=True, read_only=True)

    class Meta(DealSerializer.Meta):
        fields = [*DealSerializer.Meta.fields, "lines", "direct_costs"]


class NewLineSerializer(serializers.Serializer):
    product = serializers.SlugRelatedField(slug_field="sku", queryset=Product.objects.filter(
        active=True), help_text="The product's SKU.")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0)
    unit_price = money_field(required=False, allow_null=True, min_value=0,
                             help_text="Empty: the list price.")


class NewDealSerializer(serializers.Serializer):
    client = serializers.CharField(help_text="The client's id.")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    lines = NewLineSerializer(many=True, required=False)


class NewCostSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=CostCategory.choices)
    amount = money_field(min_value=0)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CloseSerializer(serializers.Serializer):
    on = day_field(required=False, allow_null=True, help_text="Empty: today.")
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class WinSerializer(serializers.Serializer):
    on = day_field(required=False, allow_null=True, help_text="Empty: today.")
    account_manager = serializers.CharField(
        required=False, allow_blank=True,
        help_text="For deal 1: who takes the client (empty: the next in turn).")


class MoveSerializer(serializers.Serializer):
    stage = serializers.SlugRelatedField(slug_field="code", queryset=PipelineStage.objects.all())


def _line(data) -> actions.LineInput:
    return actions.LineInput(product=data["product"], quantity=data["quantity"],
                             unit_price=data.get("unit_price"))


class DealViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"
    filterset_class = DealFilter

    def get_queryset(self):
        action_name = "read" if self.action in ("list", "retrieve") else "write"
        deals = viewer_of(self.request).deals(action_name).select_related(
            "client", "owner", "stage").order_by("-created_on", "-id")
        if self.action == "retrieve":
            deals = deals.prefetch_related("lines__product", "direct_costs")
        return deals

    def get_serializer_class(self):
        return {"create": NewDealSerializer, "lines": NewLineSerializer,
                "costs": NewCostSerializer, "win": WinSerializer, "lose": CloseSerializer,
                "cancel": CloseSerializer, "move": MoveSerializer,
                "retrieve": DealDetailSerializer}.get(self.action, DealSerializer)

    def _done(self, deal: Deal, status: int = 200) -> Response:
        deal = Deal.objects.select_related("client", "owner", "stage").get(pk=deal.pk)
        return Response(DealDetailSerializer(deal).data, status=status)

    @extend_schema(request=NewDealSerializer, responses={201: DealDetailSerializer})
    def create(self, request):
        data = rest.valid(NewDealSerializer, request)
        viewer = viewer_of(request)
        client = get_object_or_404(viewer.clients("write"), ref=data["client"])
        owner = viewer.owner_of_new_deal(client)
        if owner is None:
            raise ActionError(ErrorCode.INVALID, "the client has no owner to own the deal; "
                              "assign it first", field="client")
        deal = actions.open_deal(client=client, owner=owner, acting_user=request.user,
                                 title=data.get("title", ""),
                                 lines=[_line(line) for line in data.get("lines", [])])
        return self._done(deal, 201)

    @extend_schema(request=NewLineSerializer, responses={201: DealDetailSerializer})
    @action(detail=True, methods=["post"])
    def lines(self, request, ref=None):
        deal = self.get_object()
        actions.add_deal_line(deal, _line(rest.valid(NewLineSerializer, request)),
                              acting_user=request.user)
        return self._done(deal, 201)

    @extend_schema(request=NewCostSerializer, responses={201: DealDetailSerializer})
    @action(detail=True, methods=["post"])
    def costs(self, request, ref=None):
        deal = self.get_object()
        actions.add_direct_cost(deal, acting_user=request.user,
                                **rest.valid(NewCostSerializer, request))
        return self._done(deal, 201)

    @extend_schema(request=MoveSerializer, responses={200: DealDetailSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, ref=None):
        deal = self.get_object()
        actions.move_deal(deal, stage=rest.valid(MoveSerializer, request)["stage"],
                          acting_user=request.user)
        return self._done(deal)

    @extend_schema(request=WinSerializer, responses={200: DealDetailSerializer})
    @action(detail=True, methods=["post"])
    def win(self, request, ref=None):
        deal = self.get_object()
        data = rest.valid(WinSerializer, request)
        manager = None
        if data.get("account_manager"):
            manager = get_object_or_404(Employee, ref=data["account_manager"],
                                        role=Role.ACCOUNT_MANAGER)
        actions.win_deal(deal, acting_user=request.user, won_on=data.get("on"),
                         account_manager=manager)
        return self._done(deal)

    @extend_schema(request=CloseSerializer, responses={200: DealDetailSerializer})
    @action(detail=True, methods=["post"])
    def lose(self, request, ref=None):
        deal = self.get_object()
        data = rest.valid(CloseSerializer, request)
        actions.lose_deal(deal, acting_user=request.user, closed_on=data.get("on"),
                          reason=data.get("reason", ""))
        return self._done(deal)

    @extend_schema(request=CloseSerializer, responses={200: DealDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, ref=None):
        deal = self.get_object()
        data = rest.valid(CloseSerializer, request)
        actions.cancel_deal(deal, acting_user=request.user, closed_on=data.get("on"),
                            reason=data.get("reason", ""))
        return self._done(deal)
