from django.urls import path

from congdongso.outreach import conflict_views, views

app_name = "outreach"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("visit/<uuid:household_id>/", views.visit, name="visit"),
    path("offline/", views.offline, name="offline"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
    path("conflicts/", conflict_views.conflicts, name="conflicts"),
    path("conflicts/<int:conflict_id>/", conflict_views.conflict_detail, name="conflict_detail"),
]
