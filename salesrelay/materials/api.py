"""Sales materials through the API (read)."""

from rest_framework import serializers, viewsets

from salesrelay.materials.models import SalesMaterial


class MaterialSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="ref", read_only=True)

    class Meta:
        model = SalesMaterial
        fields = ["id", "title", "kind", "link", "version", "published_on", "target_segment"]


class MaterialViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MaterialSerializer
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"
    filterset_fields = ["kind", "target_segment"]
    queryset = SalesMaterial.objects.order_by("title", "id")
