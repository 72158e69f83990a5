from django.contrib import admin

from salesrelay.materials.models import SalesMaterial


@admin.register(SalesMaterial)
class SalesMaterialAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "kind", "version", "published_on", "target_segment"]
    list_filter = ["kind", "target_segment"]
    search_fields = ["ref", "title"]
