from django.contrib import admin

from congdongso.common.admin import ReadOnlyAdmin
from congdongso.privacy.models import DataSubjectRequest, Restriction


# Requests and restrictions change only through the app, where every step is audited and an erasure
# reaches every table; the admin shows them, without the requester's details in lists.
@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "channel", "status", "commune", "received_on", "acknowledge_by", "complete_by"]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["code"]
    raw_id_fields = ["commune", "household", "resident", "created_by"]


@admin.register(Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    list_display = ["household", "started_at", "lifted_at"]
    raw_id_fields = ["household", "request", "created_by", "lifted_by"]
