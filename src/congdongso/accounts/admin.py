from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congdongso.accounts import twofactor
from congdongso.accounts.models import Device, RecoveryCode, RoleAssignment, TOTPDevice, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(User)
class CongDongSoUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ["display_name"]}))
    list_display = ["username", "display_name", "is_active", "is_staff"]
    inlines = [RoleAssignmentInline]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Đặt lại xác thực hai bước (mất điện thoại)"))
    def reset_two_factor(self, request, queryset):
        """The users enrol again at their next sign-in; their old app and recovery codes stop working."""
        for user in queryset:
            twofactor.two_factor_reset(user=user, actor_id=request.user.pk)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Đã đặt lại xác thực hai bước cho %(n)d người dùng.",
                "Đã đặt lại xác thực hai bước cho %(n)d người dùng.",
                count,
            ) % {"n": count},
            messages.SUCCESS,
        )


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


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Who has an authenticator app; the secret is never shown (and stored sealed). Delete one to make its
    user enrol again."""

    list_display = ["user", "created_at", "confirmed_at", "last_used_at"]
    readonly_fields = ["user", "created_at", "confirmed_at", "last_used_at"]
    exclude = ["sealed_secret", "last_used_step"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(admin.ModelAdmin):
    """Which recovery codes are spent; the codes themselves are stored only as keyed hashes (not shown)."""

    list_display = ["user", "created_at", "used_at"]
    list_filter = ["used_at"]
    readonly_fields = ["user", "created_at", "used_at"]
    exclude = ["code_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
