"""Units are read-only in the admin: creating, merging, splitting and renaming go through the
services (they keep paths, history and audit true), via the app's pages or the commands."""

from django.contrib import admin

from congdongso.common.admin import ReadOnlyAdmin
from congdongso.geo.models import Unit, UnitLink, UnitName


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "kind", "is_legacy", "valid_until"]
    list_filter = ["level", "kind", "is_legacy"]
    search_fields = ["code", "search_name"]


@admin.register(UnitLink)
class UnitLinkAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "reason", "effective_date"]
    list_filter = ["reason"]


@admin.register(UnitName)
class UnitNameAdmin(ReadOnlyAdmin):
    list_display = ["unit", "name", "valid_until"]
