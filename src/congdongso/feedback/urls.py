from django.urls import path

from congdongso.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.submit, name="submit"),
    path("places/", views.places, name="places"),
    path("status/", views.status_lookup, name="status_lookup"),
    path("status/<str:code>/", views.status, name="status"),
    path("inbox/", views.inbox, name="inbox"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/assign/", views.report_assign, name="assign"),
    path("reports/<int:report_id>/status/", views.report_status, name="status_change"),
    path("reports/<int:report_id>/notes/", views.report_note, name="note"),
    path("reports/<int:report_id>/household/", views.report_household, name="household"),
    path("deliveries/<int:delivery_id>/retry/", views.delivery_retry, name="delivery_retry"),
]
