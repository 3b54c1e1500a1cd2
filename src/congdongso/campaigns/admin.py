from django.contrib import admin

from congdongso.campaigns.models import Campaign, CampaignTarget


class CampaignTargetInline(admin.TabularInline):
    model = CampaignTarget
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "starts_on", "ends_on", "service"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [CampaignTargetInline]


@admin.register(CampaignTarget)
class CampaignTargetAdmin(admin.ModelAdmin):
    list_display = ["campaign", "unit", "target"]
    raw_id_fields = ["campaign", "unit"]
