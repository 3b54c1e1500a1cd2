from django.contrib import admin

from congdongso.indicators.models import Indicator, ReportJob, Tally, Target


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "numerator", "denominator", "monthly", "headline"]
    list_filter = ["kind", "monthly", "headline"]
    search_fields = ["code", "name"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "unit", "value", "due_on"]
    raw_id_fields = ["unit", "set_by"]


@admin.register(Tally)
class TallyAdmin(admin.ModelAdmin):
    """Read only: tallies change through the services and `rebuild_tallies`, never by hand."""

    list_display = ["unit_id", "period", "metric", "value"]
    search_fields = ["metric"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read only: jobs are made by the report page and run by the task worker."""

    list_display = ["created_at", "unit", "period", "format", "status", "total_rows", "file_size", "expires_at"]
    list_filter = ["status", "format"]
    raw_id_fields = ["unit", "created_by"]
    exclude = ["file_data"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("file_data")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
