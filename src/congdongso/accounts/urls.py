from django.urls import path

from congdongso.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/enrol/", views.two_factor_enrol, name="two_factor_enrol"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("password/", views.password_change, name="password_change"),
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_pk>/revoke/", views.device_revoke, name="device_revoke"),
]
