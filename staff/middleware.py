"""Administrators must use TOTP two-factor authentication: an account without a device is sent
to set one up, and a session that did not pass the second factor (allauth records the methods a
session used) is sent to confirm a code before it reaches anything else."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .selectors import user_is_administrator
from .two_factor import session_passed_second_factor

# paths an administrator without a device may still reach: the set-up itself, logout, assets
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/verify/")
# paths an administrator with a device, in a session that has not shown it, may reach: only
# the code prompt and logout (not the rest of /accounts/: a password alone must not remove
# the device or print new recovery codes)
_UNVERIFIED_PREFIXES = ("/static/", "/healthz", "/i18n/", "/verify/")


def _unverified_paths() -> tuple[str, ...]:
    return (reverse("mfa_reauthenticate"), reverse("account_logout"))


class RequireAdministratorTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED_FOR_ADMINISTRATORS
            and user is not None
            and user.is_authenticated
            # is_staff marks administrator accounts (set with the role), so learners' pages
            # pay no extra query for this check
            and (user.is_staff or user.is_superuser)
            and user_is_administrator(user=user)
        ):
            response = self._second_factor_missing(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _second_factor_missing(self, request, user):
        # the device first: one removed since this session showed a code must be set up again
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            if session_passed_second_factor(request):
                return None
            if request.path.startswith(_UNVERIFIED_PREFIXES) or request.path in (
                _unverified_paths()
            ):
                return None
            messages.warning(
                request,
                _("Enter the code from your authenticator app to continue as an administrator."),
            )
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(reverse("mfa_reauthenticate") + (f"?{query}" if query else ""))
        if request.path.startswith(_ALLOWED_PREFIXES):
            return None
        messages.warning(
            request,
            _("Administrators must set up two-factor authentication (TOTP) before continuing."),
        )
        return redirect(reverse("mfa_activate_totp"))
