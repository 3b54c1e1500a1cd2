from django.contrib import admin

from congdongso.feedback.models import Delivery, Report, ReportHistory, ReportNote


class ReportNoteInline(admin.TabularInline):
    model = ReportNote
    raw_id_fields = ["author"]
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    # Contact details stay out of the lists; changes go through the app, where they are audited.
    list_display = ["code", "category", "status", "commune", "due_on", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["code"]
    raw_id_fields = ["unit", "commune", "assigned_team", "assigned_user", "household", "follow_up"]
    readonly_fields = ["code", "contact_consent_at", "contact_erased_at", "resolved_at", "closed_at"]
    inlines = [ReportNoteInline]


@admin.register(ReportNote)
class ReportNoteAdmin(admin.ModelAdmin):
    list_display = ["report", "is_public", "created_at"]
    raw_id_fields = ["report", "author"]


@admin.register(ReportHistory)
class ReportHistoryAdmin(admin.ModelAdmin):
    list_display = ["report", "change", "from_status", "to_status", "at"]
    list_filter = ["change"]
    raw_id_fields = ["report", "actor"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["report", "channel", "event", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["report"]
