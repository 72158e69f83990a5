"""Employees (whose pay the viewer may read, as on the pay pages) and one's own API tokens."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from knox.models import AuthToken
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from salesrelay.people.access import viewer_of
from salesrelay.people.actions import create_token, revoke_token
from salesrelay.people.models import Employee


class EmployeeSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="ref", read_only=True)

    class Meta:
        model = Employee
        fields = ["id", "name", "email", "department", "role", "hired_on", "left_on",
                  "pool_weight", "market_salary"]


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmployeeSerializer
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"
    filterset_fields = ["department", "role"]

    def get_queryset(self):
        return Employee.objects.restrict(viewer_of(self.request)).order_by("name", "id")


class TokenSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="token_key", read_only=True)

    class Meta:
        model = AuthToken
        fields = ["id", "created", "expiry"]


class NewTokenSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    token = serializers.CharField(read_only=True, help_text="Shown once: keep it.")
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)


@extend_schema_view(destroy=extend_schema(parameters=[OpenApiParameter(
    "token_key", str, OpenApiParameter.PATH, description="The token's id (its first characters).")]))
class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """One's own personal API tokens: list, create (the token is shown once), revoke."""
    lookup_value_regex = "[^/]+"  # a malformed id is a JSON 404, not an HTML one

    serializer_class = TokenSerializer
    lookup_field = "token_key"
    filter_backends: list = []

    def get_queryset(self):
        return AuthToken.objects.filter(user=self.request.user).order_by("-created")

    @extend_schema(request=None, responses={201: NewTokenSerializer})
    def create(self, request):
        instance, text = create_token(request.user, actor=request.user)
        return Response(NewTokenSerializer({"id": instance.token_key, "token": text,
                                            "expiry": instance.expiry}).data, status=201)

    def perform_destroy(self, instance):
        revoke_token(instance, actor=self.request.user)
