"""Administrators must have TOTP two-factor authentication before they can do anything else."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import user_is_administrator

# paths an administrator without 2FA may still reach: the set-up itself, logout, assets
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/verify/")


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
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and user_is_administrator(user=user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _("Administrators must set up two-factor authentication (TOTP) before continuing."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
