from django.contrib import admin

from congdongso.households.models import ConsentRecord, Household, HouseholdFieldVersion, ImportJob, Resident


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["id", "village", "resident_count", "has_consent", "has_nucleus", "missing_skills"]
    list_filter = ["has_consent", "has_nucleus", "is_business", "has_elderly"]
    raw_id_fields = ["village", "created_by"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["id", "household", "device", "proficient", "is_anonymised"]
    list_filter = ["device", "proficient"]
    raw_id_fields = ["household"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["household", "method", "notice_version", "given_at", "withdrawn_at"]
    raw_id_fields = ["household", "recorded_by"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by the upload page and run by the task worker."""

    list_display = ["created_at", "unit", "file_name", "status", "total_rows", "households_created", "error_count"]
    list_filter = ["status"]
    raw_id_fields = ["unit", "created_by"]
    exclude = ["file_data", "residents_file_data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HouseholdFieldVersion)
class HouseholdFieldVersionAdmin(admin.ModelAdmin):
    """Read-only history: every value a household field was given."""

    list_display = ["household", "field", "occurred_at", "event_id", "recorded_at"]
    list_filter = ["field"]
    raw_id_fields = ["household", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
