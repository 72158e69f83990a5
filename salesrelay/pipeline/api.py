"""Activities through the API: read those on the clients the viewer may read; log one on a
client the viewer works (the same action as the client card)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from salesrelay import rest
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.materials.models import SalesMaterial
from salesrelay.people.access import viewer_of
from salesrelay.pipeline import actions
from salesrelay.pipeline.choices import ActivityKind, Outcome
from salesrelay.pipeline.filters import ActivityFilter
from salesrelay.pipeline.models import Activity


class ActivitySerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="ref", read_only=True)
    client = rest.ref()
    employee = rest.ref()
    materials: serializers.SlugRelatedField[SalesMaterial] = serializers.SlugRelatedField(
        slug_field="ref", many=True, read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "client", "employee", "kind", "subject", "planned_on", "planned_at",
                  "done_on", "outcome", "materials"]


class NewActivitySerializer(serializers.Serializer):
    client = serializers.CharField(help_text="The client's id.")
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True)
    planned_on = rest.day_field(required=False, allow_null=True)
    planned_at = serializers.TimeField(required=False, allow_null=True,
                                       help_text="HH:MM on planned_on, the installation's clock.")
    done_on = rest.day_field(required=False, allow_null=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    materials = serializers.SlugRelatedField(slug_field="ref", many=True, required=False,
                                             queryset=SalesMaterial.objects.all())


class ActivityViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"
    filterset_class = ActivityFilter

    def get_queryset(self):
        return (Activity.objects.restrict(viewer_of(self.request))
                .select_related("client", "employee").prefetch_related("materials")
                .order_by("-id"))

    def get_serializer_class(self):
        return NewActivitySerializer if self.action == "create" else ActivitySerializer

    @extend_schema(request=NewActivitySerializer, responses={201: ActivitySerializer})
    def create(self, request):
        data = rest.valid(NewActivitySerializer, request)
        viewer = viewer_of(request)
        client = get_object_or_404(viewer.clients("write"), ref=data.pop("client"))
        if viewer.employee is None:
            raise ActionError(ErrorCode.INVALID, "only an employee can log an activity")
        activity = actions.log_activity(client=client, employee=viewer.employee,
                                        acting_user=request.user, **data)
        return Response(ActivitySerializer(activity).data, status=201)
