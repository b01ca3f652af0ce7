"""Whether this session passed the second factor, from allauth's own record of the
authentication methods used in it (allauth.account.authentication).

allauth logs every step of a sign-in in the session ("password", then "mfa" once a TOTP or
recovery code was accepted at sign-in or re-authentication). A session opened any other way
(Django's login() called by some other view, a stolen password on a forgotten login page) has
no "mfa" step, whatever devices the account has enrolled."""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator


def session_passed_second_factor(request) -> bool:
    records = get_authentication_records(request, getattr(request, "user", None))
    return any(record.get("method") == "mfa" for record in records)


def record_second_factor_on_activation(sender, request, user, authenticator, **kwargs):
    """Activating TOTP takes a code from the new device: that session has shown the second
    factor, so the administrator is not asked for another code straight away."""
    if (
        request is not None
        and authenticator.type == Authenticator.Type.TOTP
        and getattr(request, "user", None) is not None
        and request.user.pk == user.pk
    ):
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )
