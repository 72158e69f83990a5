"""Payments through the API: read them with their allocations; record one against a deal or a
client (a refund is negative) through the same action as the payment form."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from salesrelay import rest
from salesrelay.deals.models import Deal
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.payments.actions import record_payment
from salesrelay.payments.filters import PaymentFilter
from salesrelay.payments.models import Allocation, Payment
from salesrelay.people.access import viewer_of


class AllocationSerializer(serializers.ModelSerializer):
    deal = rest.ref()

    class Meta:
        model = Allocation
        fields = ["deal", "amount", "effective_on"]


class PaymentSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="ref", read_only=True)
    client = rest.ref()
    deal = rest.ref(allow_null=True)
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "client", "deal", "received_on", "amount", "reference", "allocations"]


class NewPaymentSerializer(serializers.Serializer):
    client = serializers.CharField(required=False, allow_blank=True,
                                   help_text="The client's id (or give the deal).")
    deal = serializers.CharField(required=False, allow_blank=True, help_text="The deal's id.")
    amount = rest.money_field(help_text="Negative for a refund.")
    received_on = rest.day_field()
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"
    filterset_class = PaymentFilter

    def get_queryset(self):
        return (Payment.objects.restrict(viewer_of(self.request))
                .select_related("client", "deal").prefetch_related("allocations__deal")
                .order_by("-received_on", "-id"))

    def get_serializer_class(self):
        return NewPaymentSerializer if self.action == "create" else PaymentSerializer

    @extend_schema(request=NewPaymentSerializer, responses={201: PaymentSerializer})
    def create(self, request):
        data = rest.valid(NewPaymentSerializer, request)
        clients = viewer_of(request).payment_clients()
        client = deal = None
        if data.get("client"):
            client = get_object_or_404(clients, ref=data["client"])
        if data.get("deal"):
            deal = get_object_or_404(Deal.objects.filter(client__in=clients), ref=data["deal"])
        if client is None and deal is None:
            raise ActionError(ErrorCode.INVALID, "give the client or the deal", field="client")
        payment = record_payment(client=client, deal=deal, amount=data["amount"],
                                 received_on=data["received_on"],
                                 reference=data.get("reference", ""), acting_user=request.user)
        payment = Payment.objects.prefetch_related("allocations__deal").get(pk=payment.pk)
        return Response(PaymentSerializer(payment).data, status=201)
