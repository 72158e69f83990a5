"""Targets and fixed costs through the API (read; the director edits them on the Targets and
Fixed costs pages)."""

from rest_framework import serializers, viewsets

from salesrelay.finance.models import FixedCost, Target


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "month", "metric", "value"]


class FixedCostSerializer(serializers.ModelSerializer):
    class Meta:
        model = FixedCost
        fields = ["id", "month", "category", "amount"]


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[^/]+"  # a malformed id is a JSON 404, not an HTML one
    serializer_class = TargetSerializer
    filterset_fields = ["month", "metric"]
    queryset = Target.objects.order_by("month", "metric", "id")


class FixedCostViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[^/]+"  # a malformed id is a JSON 404, not an HTML one
    serializer_class = FixedCostSerializer
    filterset_fields = ["month", "category"]
    queryset = FixedCost.objects.order_by("month", "category", "id")
