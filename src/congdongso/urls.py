from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from congdongso.accounts.gate import public
from congdongso.api import api

urlpatterns = [
    path("", include("congdongso.web.urls")),
    path("accounts/", include("congdongso.accounts.urls")),
    path("teams/", include("congdongso.teams.urls")),
    path("households/", include("congdongso.households.urls")),
    path("catalog/", include("congdongso.catalog.urls")),
    path("outreach/", include("congdongso.outreach.urls")),
    path("scams/", include("congdongso.scams.urls")),
    path("feedback/", include("congdongso.feedback.urls")),
    path("indicators/", include("congdongso.indicators.urls")),
    path("campaigns/", include("congdongso.campaigns.urls")),
    path("privacy/", include("congdongso.privacy.urls")),
    path("audit/", include("congdongso.audit.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
