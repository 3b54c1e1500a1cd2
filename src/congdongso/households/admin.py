from django.contrib import admin

from congdongso.households.models import ConsentRecord, Household, Resident


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
