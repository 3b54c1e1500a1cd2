from django.urls import path

from congdongso.audit import views

app_name = "audit"
urlpatterns = [
    path("accesses/", views.accesses, name="accesses"),
    path("volumes/", views.volumes, name="volumes"),
]
