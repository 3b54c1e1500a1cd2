from django.urls import path

from congdongso.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.service_list, name="list"),
    path("provinces/<int:province_id>/services/new/", views.service_create, name="service_create"),
    path("services/<int:service_id>/edit/", views.service_edit, name="service_edit"),
    path("provinces/<int:province_id>/rules/", views.rule_list, name="rules"),
    path("provinces/<int:province_id>/rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:rule_id>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/active/", views.rule_active, name="rule_active"),
    path("vietqr/", views.vietqr_sign, name="vietqr"),
    path("vietqr/<uuid:household_id>/", views.vietqr_sign, name="vietqr_household"),
]
