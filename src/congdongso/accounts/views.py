from django.contrib.auth import views as auth_views

from congdongso.accounts.forms import ThrottledLoginForm
from congdongso.accounts.gate import public

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=ThrottledLoginForm, redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view())
