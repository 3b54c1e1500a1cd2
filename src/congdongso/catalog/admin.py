from django.contrib import admin

from congdongso.catalog.models import Adoption, MerchantAccount, RecommendationRule, Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "skill", "province", "is_active", "sort_order"]
    list_filter = ["skill", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["province"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are never reused: once saved, a service's code does not change.
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        # Never deleted either (deactivate instead), so a code cannot come free.
        return False


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


@admin.register(MerchantAccount)
class MerchantAccountAdmin(admin.ModelAdmin):
    list_display = ["household", "bank", "owner_consented_at"]
    raw_id_fields = ["household", "recorded_by"]
    readonly_fields = ["owner_consented_at", "recorded_by"]
