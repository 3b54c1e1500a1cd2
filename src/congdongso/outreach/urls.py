from django.urls import path

from congdongso.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("visit/<uuid:household_id>/", views.visit, name="visit"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
]
