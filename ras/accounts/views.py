from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ras.accounts.forms import SignInForm
from ras.accounts.roles import ROLE_HOMES


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in home: one section for each role the person holds."""
    role_homes = [ROLE_HOMES[role] for role in request.user.roles]  # type: ignore[union-attr]
    return render(request, "accounts/home.html", {"role_homes": role_homes})
