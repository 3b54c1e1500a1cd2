from django.urls import path

from congdongso.households import import_views, views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("<uuid:household_id>/", views.household_detail, name="detail"),
    path("<uuid:household_id>/profile/", views.household_profile, name="profile"),
    path("<uuid:household_id>/consent/", views.consent_create, name="consent"),
    path("<uuid:household_id>/consent/withdraw/", views.consent_withdraw, name="withdraw"),
    path("<uuid:household_id>/details/", views.household_details, name="details"),
    path("<uuid:household_id>/residents/new/", views.resident_add, name="resident_add"),
    path("residents/<uuid:resident_id>/", views.resident_edit, name="resident_edit"),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/template.xlsx", import_views.import_template, name="import_template"),
    path("imports/unit/<int:unit_id>/", import_views.import_new, name="import_new"),
    path("imports/<uuid:job_id>/", import_views.import_status, name="import_status"),
]
