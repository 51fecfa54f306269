"""Two-step sign-in pages: the code page, the recovery code page, setting up an app, the recovery
codes, and turning it off for someone who chose it.

Recovery codes are shown once, in the answer to the form that made them: they are never stored in
plain text, not even in the session, and the page asks browsers not to keep a copy.
"""

from base64 import b32encode
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from ras.accounts.forms import AppCodeForm, RecoveryCodeForm
from ras.accounts.two_step_selectors import (
    has_authenticator_app,
    recovery_code_set,
    second_factor_mandatory,
    second_factor_required,
)
from ras.accounts.two_step_services import (
    CodeRefused,
    NothingToConfirm,
    recovery_codes_replace,
    totp_device_confirm,
    totp_device_start,
    two_step_turn_off,
    two_step_verify,
)

SECRET_GROUP_LENGTH = 4


@never_cache
@login_required
def two_step(request: HttpRequest) -> HttpResponse:
    """The second step: the 6-digit code from the person's authenticator app."""
    user: Any = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not has_authenticator_app(user):
        if second_factor_required(user):
            return _redirect_keeping_next("accounts:two-step-set-up", next_url)
        return redirect(next_url)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_step_verify(user=user, code=form.cleaned_data["code"])
        except CodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            django_otp.login(request, device)
            return redirect(next_url)
    return render(request, "accounts/two_step/code.html", {"form": form, "next": next_url})


@never_cache
@login_required
def two_step_recovery(request: HttpRequest) -> HttpResponse:
    """Signing in with a recovery code instead of the app; the code is spent."""
    user: Any = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_step_verify(user=user, code=form.cleaned_data["code"], recovery=True)
        except CodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            django_otp.login(request, device)
            messages.warning(request, _codes_left_sentence(device.codes_left()))
            return redirect(next_url)
    return render(request, "accounts/two_step/recovery.html", {"form": form, "next": next_url})


@never_cache
@login_required
def two_step_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code."""
    user: Any = request.user
    next_url = _next_url(request)
    replacing = has_authenticator_app(user)
    if replacing and not user.is_verified():
        # Only someone who has taken the second step with their app may set up another.
        return _redirect_keeping_next("accounts:two-step", next_url)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = totp_device_confirm(user=user, code=form.cleaned_data["code"])
        except NothingToConfirm:
            messages.info(request, "Setting up your app started again. Scan the new QR code.")
            return _redirect_keeping_next("accounts:two-step-set-up", next_url)
        except CodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            django_otp.login(request, device)
            return _new_codes_page(
                request, codes, next_url=next_url, after_set_up=True, replaced=replacing
            )
    device = totp_device_start(user=user)
    return render(
        request,
        "accounts/two_step/set_up.html",
        {
            "form": form,
            "next": next_url,
            "replacing": replacing,
            "required": second_factor_required(user),
            "qr_svg": _qr_svg(device),
            "secret_groups": _secret_groups(device),
        },
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and a button to make a new set."""
    user: Any = request.user
    if not (has_authenticator_app(user) and user.is_verified()):
        messages.info(request, "Set up two-step sign-in first: recovery codes come with it.")
        return redirect("accounts:account")
    if request.method == "POST":
        return _new_codes_page(
            request,
            recovery_codes_replace(user=user),
            next_url=reverse("accounts:account"),
            replaced=True,
        )
    code_set = recovery_code_set(user)
    return render(request, "accounts/two_step/recovery_codes.html", {"code_set": code_set})


@never_cache
@login_required
def turn_off(request: HttpRequest) -> HttpResponse:
    """Someone who chose two-step sign-in turns it off with a code from their app."""
    user: Any = request.user
    if second_factor_mandatory(user):
        raise PermissionDenied("Council staff must use two-step sign-in.")
    if not has_authenticator_app(user):
        return redirect("accounts:account")
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_step_turn_off(user=user, code=form.cleaned_data["code"])
        except CodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            messages.success(request, "Two-step sign-in is off. You sign in with your password.")
            return redirect("accounts:account")
    return render(request, "accounts/two_step/turn_off.html", {"form": form})


def _new_codes_page(
    request: HttpRequest,
    codes: list[str],
    *,
    next_url: str,
    after_set_up: bool = False,
    replaced: bool = False,
) -> HttpResponse:
    # The views are `never_cache`: browsers are told not to keep this page.
    return render(
        request,
        "accounts/two_step/new_codes.html",
        {"codes": codes, "next": next_url, "after_set_up": after_set_up, "replaced": replaced},
    )


def _codes_left_sentence(left: int) -> str:
    if left == 0:
        return (
            "You used your last recovery code. Make a new set now from Your account, "
            "or you may not be able to sign in without your app."
        )
    codes = "code" if left == 1 else "codes"
    return f"You used a recovery code. You have {left} recovery {codes} left."


def _qr_svg(device: TOTPDevice) -> str:
    """The app's set-up link as a QR code, an SVG image in the page (no script, no request)."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(
        scale=5,
        dark="#0b0c0c",
        light="#ffffff",
        title="QR code to set up your authenticator app",
        svgclass="ras-qr-code",
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _secret_groups(device: TOTPDevice) -> list[str]:
    """The app's secret key in base 32, in groups of four, for people who cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return [secret[i : i + SECRET_GROUP_LENGTH] for i in range(0, len(secret), SECRET_GROUP_LENGTH)]


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _redirect_keeping_next(url_name: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")
