from django.contrib import admin

from salesrelay.people.models import Employee


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["ref", "name", "department", "role", "hired_on", "left_on", "user"]
    list_filter = ["department", "role"]
    search_fields = ["ref", "name", "email"]
