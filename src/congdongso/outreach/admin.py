from django.contrib import admin

from congdongso.outreach.models import Assist, FollowUp


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
