from django.urls import path

from congdongso.web import pwa, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/villages/new/", views.village_create, name="village_create"),
    path("units/<int:unit_id>/villages/import/", views.village_import, name="village_import"),
    path("units/<int:unit_id>/merge/", views.unit_merge, name="unit_merge"),
    path("units/<int:unit_id>/rename/", views.unit_rename, name="unit_rename"),
]
