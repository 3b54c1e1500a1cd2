from django.contrib import admin

from congdongso.scams.models import Alert, Entity, ImportBatch, Reach, Report, StatusAdvice, Tactic


@admin.register(Tactic)
class TacticAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["updated_by"]


@admin.register(StatusAdvice)
class StatusAdviceAdmin(admin.ModelAdmin):
    list_display = ["status", "updated_at"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["display", "kind", "status", "report_count", "listed_status", "last_seen"]
    list_filter = ["kind", "status", "listed_status"]
    search_fields = ["key"]
    raw_id_fields = ["tactic", "merged_into"]
    show_full_result_count = False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["id", "entity", "status", "source", "channel", "created_at"]
    list_filter = ["status", "source", "channel"]
    raw_id_fields = ["entity", "unit", "reporter", "decided_by", "tactic"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["source_name", "imported_at", "rows", "created", "updated", "duplicates"]
    raw_id_fields = ["imported_by"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "valid_from", "valid_until", "withdrawn_at"]
    raw_id_fields = ["unit", "tactic", "published_by"]


@admin.register(Reach)
class ReachAdmin(admin.ModelAdmin):
    list_display = ["alert", "team", "kind", "households", "recorded_at"]
    list_filter = ["kind"]
    raw_id_fields = ["alert", "team", "unit", "recorded_by"]
