from django.urls import path

from congdongso.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/<int:unit_id>/", views.campaign_create, name="create"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/edit/", views.campaign_edit, name="edit"),
    path("<int:campaign_id>/units/<int:unit_id>/", views.campaign_unit, name="unit"),
    path("<int:campaign_id>/units/<int:unit_id>/targets/", views.targets_set, name="targets"),
    path("<int:campaign_id>/units/<int:unit_id>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("commendations/<int:unit_id>/", views.commendation_list, name="commendations"),
    path("commendations/<int:unit_id>/export/", views.commendation_export, name="commendation_export"),
]
