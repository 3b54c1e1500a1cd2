from django.contrib import admin

from congdongso.audit.models import AccessLog, AuditEvent
from congdongso.common.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor", "action", "object_type", "object_id", "unit_id"]
    list_filter = ["action", "object_type"]
    date_hierarchy = "occurred_at"


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor", "channel", "what", "unit_id", "households", "people"]
    list_filter = ["channel", "what"]
    date_hierarchy = "occurred_at"
