from django.urls import path

from congdongso.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_pk>/revoke/", views.device_revoke, name="device_revoke"),
]
