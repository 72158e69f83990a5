"""The director's admin. Reference data (products, stages, fixed costs, targets, materials,
employees) is edited here; the records that actions own (clients, deals, payments, allocations)
are read-only, so that every change to them goes through an action and its audit row."""

from django.contrib import admin

from salesrelay.audit.admin import ReadOnlyAdmin
from salesrelay.clients.models import Client, Ownership
from salesrelay.deals.models import Deal, Product
from salesrelay.finance.models import FixedCost, Target
from salesrelay.payments.models import Allocation, Payment
from salesrelay.pipeline.models import Activity, PipelineStage

ReadOnly = ReadOnlyAdmin


@admin.register(Client)
class ClientAdmin(ReadOnly):
    list_display = ["ref", "name", "segment", "owning_department", "owner", "acquired_by"]
    list_filter = ["segment", "owning_department"]
    search_fields = ["ref", "name", "tax_id"]


@admin.register(Ownership)
class OwnershipAdmin(ReadOnly):
    list_display = ["client", "employee", "department", "started_on", "ended_on", "reason"]


@admin.register(Deal)
class DealAdmin(ReadOnly):
    list_display = ["ref", "client", "owner", "status", "number", "won_on", "amount"]
    list_filter = ["status"]
    search_fields = ["ref", "client__name"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["ref", "client", "deal", "received_on", "amount"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnly):
    list_display = ["payment", "deal", "amount", "effective_on"]


@admin.register(Activity)
class ActivityAdmin(ReadOnly):
    list_display = ["ref", "client", "employee", "kind", "planned_on", "done_on", "outcome"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "line", "price", "unit_cost", "active"]
    search_fields = ["sku", "name"]


@admin.register(PipelineStage)
class PipelineStageAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name"]


@admin.register(FixedCost)
class FixedCostAdmin(admin.ModelAdmin):
    list_display = ["month", "category", "amount"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["month", "metric", "value"]
