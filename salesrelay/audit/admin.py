from django.contrib import admin

from salesrelay.audit.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never edited: changes to these records go through actions and their audit rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_ref"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_ref"]
