from django.contrib import admin

from congdongso.geo.models import Unit, UnitLink, UnitName


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "is_legacy", "valid_until"]
    list_filter = ["level", "kind", "is_legacy"]
    search_fields = ["code", "search_name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth", "search_name"]


@admin.register(UnitLink)
class UnitLinkAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "reason", "effective_date"]
    list_filter = ["reason"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(UnitName)
class UnitNameAdmin(admin.ModelAdmin):
    list_display = ["unit", "name", "valid_until"]
    raw_id_fields = ["unit"]
