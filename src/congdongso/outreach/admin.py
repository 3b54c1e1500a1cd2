from django.contrib import admin

from congdongso.common.admin import ReadOnlyAdmin
from congdongso.outreach.models import Assist, AssistActivity, FollowUp, SyncConflict, SyncEvent


@admin.register(Assist)
class AssistAdmin(admin.ModelAdmin):
    list_display = ["id", "member", "village", "outcome", "channel", "occurred_at"]
    list_filter = ["outcome", "channel"]
    raw_id_fields = ["member", "household", "resident", "village"]

    def has_change_permission(self, request, obj=None):
        return False  # assists are append-only events

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["reason", "village", "due_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["village", "household", "created_from", "closed_by"]


@admin.register(SyncEvent)
class SyncEventAdmin(admin.ModelAdmin):
    """Receipts of synced events: read-only."""

    list_display = ["id", "type", "member", "received_at"]
    list_filter = ["type"]
    raw_id_fields = ["member", "device", "village"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SyncConflict)
class SyncConflictAdmin(admin.ModelAdmin):
    """Reviewed on the conflict page (outreach:conflicts), where keeping a version is audited."""

    list_display = ["event_id", "type", "member", "village", "status", "received_at"]
    list_filter = ["type", "status"]
    raw_id_fields = ["member", "device", "village", "resolved_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AssistActivity)
class AssistActivityAdmin(ReadOnlyAdmin):
    """Kept by the services that record assists."""

    list_display = ["village_id", "member_id", "last_received_at"]
