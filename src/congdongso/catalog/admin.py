from django.contrib import admin

from congdongso.catalog.models import Adoption, RecommendationRule, Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "skill", "province", "is_active", "sort_order"]
    list_filter = ["skill", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["province"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are never reused: once saved, a service's code does not change.
        return ["code"] if obj else []


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["resident", "service", "state", "first_assisted_at", "independent_since"]
    list_filter = ["state"]
    raw_id_fields = ["resident", "service"]


@admin.register(RecommendationRule)
class RecommendationRuleAdmin(admin.ModelAdmin):
    list_display = ["reason", "service", "province", "priority", "is_active"]
    list_filter = ["is_active"]
    raw_id_fields = ["service", "province"]
