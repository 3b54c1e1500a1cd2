from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from congdongso.accounts.models import Device, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(User)
class CongDongSoUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ["display_name"]}))
    list_display = ["username", "display_name", "is_active", "is_staff"]
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit"]


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    """The token itself is never stored (only a hash, not shown)."""

    list_display = ["user", "label", "device_id", "last_sync_at", "pending_events", "revoked_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["device_id", "last_sync_at", "pending_events", "created_at"]
    exclude = ["token_hash"]
