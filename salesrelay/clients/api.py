"""Clients through the API: read what the viewer may read (their ownership history included),
create prospects, claim one from the free pool, assign one to an account manager, add contacts
— each through the same action as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesrelay import rest
from salesrelay.clients import actions
from salesrelay.clients.filters import ClientFilter
from salesrelay.clients.models import Client, Contact, Ownership
from salesrelay.people.access import FREE_POOL, viewer_of
from salesrelay.people.choices import Department, Role
from salesrelay.people.models import Employee


class OwnershipSerializer(serializers.ModelSerializer):
    employee = rest.ref(allow_null=True)

    class Meta:
        model = Ownership
        fields = ["employee", "department", "started_on", "ended_on", "reason"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["name", "position", "phone", "email"]


class ClientSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="ref", read_only=True)
    acquired_by = rest.ref(allow_null=True)
    owner = rest.ref(allow_null=True)

    class Meta:
        model = Client
        fields = ["id", "name", "tax_id", "segment", "source", "created_on", "acquired_by",
                  "owner", "owning_department", "handed_off_on"]


class ClientDetailSerializer(ClientSerializer):
    ownership = OwnershipSerializer(source="ownerships", many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta(ClientSerializer.Meta):
        fields = [*ClientSerializer.Meta.fields, "ownership", "contacts"]


class NewProspectSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    segment = serializers.CharField(
        max_length=32, help_text="A segment's code, as on the Segments page (retail_chain, "
        "online_store, dealer and other to begin with, and those the director adds).")
    tax_id = serializers.CharField(max_length=32, required=False, allow_blank=True)
    # DRF's metaclass takes declared fields off the class: this one does not replace Field.source.
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)


class AssignSerializer(serializers.Serializer):
    to = serializers.CharField(help_text="The account manager's employee id.")


class ClientViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"
    filterset_class = ClientFilter

    def get_queryset(self):
        action_name = "read" if self.action in ("list", "retrieve", "claim") else "write"
        clients = viewer_of(self.request).clients(action_name).select_related(
            "owner", "acquired_by").order_by("name", "id")
        if self.action == "retrieve":
            clients = clients.prefetch_related("ownerships__employee", "contacts")
        if self.action == "claim":
            clients = clients.filter(FREE_POOL)
        if self.action == "assign":
            clients = clients.filter(owning_department=Department.ACCOUNT_MANAGEMENT)
        return clients

    def get_serializer_class(self):
        if self.action == "create":
            return NewProspectSerializer
        if self.action == "assign":
            return AssignSerializer
        if self.action == "contacts":
            return ContactSerializer
        return ClientDetailSerializer if self.action == "retrieve" else ClientSerializer

    @extend_schema(request=NewProspectSerializer, responses={201: ClientSerializer})
    def create(self, request):
        data = rest.valid(NewProspectSerializer, request)
        viewer = viewer_of(request)
        client = actions.create_prospect(
            **data, hunter=viewer.employee if viewer.is_hunter else None, acting_user=request.user)
        return Response(ClientSerializer(client).data, status=201)

    @extend_schema(request=None, responses={200: ClientSerializer})
    @action(detail=True, methods=["post"])
    def claim(self, request, ref=None):
        hunter = viewer_of(request).employee
        if hunter is None:
            raise PermissionDenied  # the route admits hunters, each an employee
        client = actions.claim_prospect(self.get_object(), hunter=hunter, acting_user=request.user)
        return Response(ClientSerializer(client).data)

    @extend_schema(request=AssignSerializer, responses={200: ClientSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, ref=None):
        client = self.get_object()
        data = rest.valid(AssignSerializer, request)
        to = get_object_or_404(Employee, ref=data["to"], role=Role.ACCOUNT_MANAGER)
        actions.assign_account_manager(client, to=to, acting_user=request.user)
        client.refresh_from_db()
        return Response(ClientSerializer(client).data)

    @extend_schema(request=ContactSerializer, responses={201: ContactSerializer})
    @action(detail=True, methods=["post"])
    def contacts(self, request, ref=None):
        client = self.get_object()
        data = rest.valid(ContactSerializer, request)
        contact = actions.add_contact(client, acting_user=request.user, **data)
        return Response(ContactSerializer(contact).data, status=201)
