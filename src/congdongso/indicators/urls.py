from django.urls import path

from congdongso.indicators import report_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:unit_id>/", views.dashboard, name="dashboard"),
    path("units/<int:unit_id>/targets/", views.targets, name="targets"),
    path("units/<int:unit_id>/targets/<int:target_id>/delete/", views.target_remove, name="target_remove"),
    path("units/<int:unit_id>/villages-without-team/", views.villages_without_team, name="villages_without_team"),
    path("units/<int:unit_id>/report/", report_views.report, name="report"),
    path("reports/<uuid:job_id>/", report_views.report_job, name="report_job"),
    path("reports/<uuid:job_id>/download/", report_views.report_download, name="report_download"),
]
