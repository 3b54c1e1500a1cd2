from django.urls import path

from congdongso.scams import views

app_name = "scams"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("check/", views.check, name="check"),
    path("report/", views.report, name="report"),
    path("report/sent/", views.report_sent, name="report_sent"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/entities/<int:entity_id>/", views.entity_detail, name="entity"),
    path("moderation/entities/<int:entity_id>/tactic/", views.entity_tactic, name="entity_tactic"),
    path("moderation/entities/<int:entity_id>/merge/", views.entity_merge, name="entity_merge"),
    path("moderation/entities/<int:entity_id>/unlist/", views.entity_unlist, name="entity_unlist"),
    path("moderation/reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("moderation/import/", views.import_list, name="import"),
    path("tactics/", views.tactic_list, name="tactics"),
    path("tactics/new/", views.tactic_create, name="tactic_create"),
    path("tactics/<int:tactic_id>/", views.tactic_edit, name="tactic_edit"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/new/", views.alert_create, name="alert_create"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<int:alert_id>/withdraw/", views.alert_withdraw, name="alert_withdraw"),
    path("alerts/<int:alert_id>/teams/<int:team_id>/reach/", views.reach_record, name="reach"),
    path("teams/<int:team_id>/alerts/", views.team_alerts, name="team_alerts"),
]
