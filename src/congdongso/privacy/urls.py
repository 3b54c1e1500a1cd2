from django.urls import path

from congdongso.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.submit, name="submit"),
    path("requests/", views.queue, name="queue"),
    path("requests/new/", views.request_new, name="new"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/export.<str:file_format>", views.request_export, name="export"),
    path("requests/<int:request_id>/<str:step>/", views.request_step, name="step"),
]
