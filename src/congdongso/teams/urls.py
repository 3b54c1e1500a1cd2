from django.urls import path

from congdongso.teams import views

app_name = "teams"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/<int:unit_id>/", views.team_create, name="create"),
    path("<int:team_id>/", views.team_detail, name="detail"),
    path("<int:team_id>/edit/", views.team_edit, name="edit"),
    path("<int:team_id>/members/new/", views.membership_add, name="member_add"),
    path("members/<int:membership_id>/end/", views.membership_end, name="member_end"),
    path("trainings/unit/<int:unit_id>/", views.training_list, name="trainings"),
    path("trainings/<int:training_id>/", views.training_detail, name="training"),
]
