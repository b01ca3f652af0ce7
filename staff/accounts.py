"""Officer accounts created by HR from staff records, and the invitations that go with them.

An account starts without a usable password; the invitation carries a django-allauth
password-reset link, so the officer chooses a password on allauth's own "set a new password"
page (rate limits, password validators and messages included). The link is built from
SITE_URL, never from the request's Host header, which a client could forge."""

import logging
from dataclasses import dataclass, field
from functools import partial

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import OrgUnit, StaffRecord
from .roles import Role
from .selectors import staff_in_scope_of, staff_list_in_scope
from .services import user_role_grant

logger = logging.getLogger(__name__)

INVITATION_TEMPLATE_PREFIX = "staff/email/invitation"


class SkipReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", gettext_lazy("Not found among the staff you manage")
    LINKED = "linked", gettext_lazy("Already has an account")
    INACTIVE = "inactive", gettext_lazy("No longer in service")
    NO_EMAIL = "no_email", gettext_lazy("No e-mail address in the staff record")
    EMAIL_TAKEN = "email_taken", gettext_lazy("The e-mail address is used by another account")
    USERNAME_INVALID = (
        "username_invalid",
        gettext_lazy("The personnel number cannot be used as a user name"),
    )
    USERNAME_TAKEN = (
        "username_taken",
        gettext_lazy("The personnel number is already used as a user name"),
    )


@dataclass(frozen=True)
class Skipped:
    staff_id: int
    # the record as HR knows it; only the id for records outside the creator's scope, so the
    # result never names someone HR may not see
    label: str
    reason: SkipReason


@dataclass
class AccountsResult:
    created: list[StaffRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# --- reads used by the accounts screen ----------------------------------------------------------


def staff_without_account_in_scope(*, user, unit: OrgUnit | None = None) -> QuerySet[StaffRecord]:
    """Staff in service, in the user's scope (under `unit` if given), with no account yet."""
    records = staff_list_in_scope(user=user).filter(user__isnull=True, active=True)
    if unit is not None:
        records = records.filter(org_unit__path__startswith=unit.path)
    return records.order_by("org_unit__code", "personnel_number")


def staff_invitation_pending_in_scope(
    *, user, unit: OrgUnit | None = None
) -> QuerySet[StaffRecord]:
    """Staff in the user's scope whose account has never signed in."""
    records = staff_list_in_scope(user=user).filter(
        user__isnull=False, user__last_login__isnull=True, active=True
    )
    if unit is not None:
        records = records.filter(org_unit__path__startswith=unit.path)
    return records.order_by("org_unit__code", "personnel_number")


# --- writes ---------------------------------------------------------------------------------------


def _unique_ids(staff_ids) -> list[int]:
    ids: list[int] = []
    for raw in staff_ids:
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            continue
        if pk not in ids:
            ids.append(pk)
    return ids


@transaction.atomic
def staff_accounts_create(*, staff_ids, created_by, request=None) -> AccountsResult:
    """HR gives each selected staff record in their scope that has an e-mail and no account an
    officer account without a password, and invites it by e-mail once the accounts are saved."""
    User = get_user_model()
    ids = _unique_ids(staff_ids)
    # locked so two HR officers creating at once cannot both create an account for one record
    records = {
        r.pk: r
        for r in staff_list_in_scope(user=created_by)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
    }
    emails = {r.email.strip().lower() for r in records.values() if r.email.strip()}
    usernames = {r.personnel_number.strip().lower() for r in records.values()}
    taken_emails = set(
        User.objects.annotate(e=Lower("email")).filter(e__in=emails).values_list("e", flat=True)
    ) | set(
        EmailAddress.objects.annotate(e=Lower("email"))
        .filter(e__in=emails)
        .values_list("e", flat=True)
    )
    taken_usernames = set(
        User.objects.annotate(u=Lower("username"))
        .filter(u__in=usernames)
        .values_list("u", flat=True)
    )

    result = AccountsResult()
    for pk in ids:
        record = records.get(pk)
        if record is None:
            result.skipped.append(Skipped(pk, str(pk), SkipReason.OUT_OF_SCOPE))
            continue
        email = record.email.strip()
        username = record.personnel_number.strip().lower()
        reason = None
        if record.user_id:
            reason = SkipReason.LINKED
        elif not record.active:
            reason = SkipReason.INACTIVE
        elif not email:
            reason = SkipReason.NO_EMAIL
        elif email.lower() in taken_emails:
            reason = SkipReason.EMAIL_TAKEN
        elif username in taken_usernames:
            reason = SkipReason.USERNAME_TAKEN
        else:
            try:
                User.username_validator(username)
            except ValidationError:
                reason = SkipReason.USERNAME_INVALID
        if reason is not None:
            result.skipped.append(Skipped(pk, str(record), reason))
            continue

        user = User(
            username=username,
            email=email,
            first_name=record.full_name[: User._meta.get_field("first_name").max_length],
        )
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email.lower(), primary=True, verified=False)
        user_role_grant(user=user, role=Role.OFFICER)
        record.user = user
        record.save(update_fields=["user"])
        taken_emails.add(email.lower())
        taken_usernames.add(username)
        result.created.append(record)

    if result.created:
        transaction.on_commit(
            partial(_send_invitations, records=list(result.created), request=request)
        )
    return result


@transaction.atomic
def staff_account_invite_again(*, staff: StaffRecord, by, request=None) -> None:
    """HR in scope may send a fresh set-password link to an officer who has never signed in."""
    if not staff_in_scope_of(user=by, staff=staff):
        raise PermissionDenied
    if staff.user is None:
        raise ValidationError(_("This staff record has no account yet."))
    if staff.user.last_login is not None:
        raise ValidationError(
            _("This officer has already signed in; they can reset their own password.")
        )
    if not staff.user.email:
        raise ValidationError(_("The account has no e-mail address."))
    transaction.on_commit(partial(_send_invitations, records=[staff], request=request))


# --- the invitation ----------------------------------------------------------------------------


def invitation_url(*, user) -> str:
    """An absolute link to allauth's "set a new password" page for this user."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def _send_invitations(*, records: list[StaffRecord], request=None) -> None:
    # after commit: a failing mail server must not undo the accounts, and one bad address must
    # not stop the others (HR can send a record's invitation again from the accounts screen)
    for record in records:
        try:
            _send_invitation(staff=record, request=request)
        except Exception:
            logger.exception("Invitation to staff record %s could not be sent", record.pk)


def _send_invitation(*, staff: StaffRecord, request=None) -> None:
    user = staff.user
    context = {
        "staff": staff,
        "account": user,
        "url": invitation_url(user=user),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.SITE_URL,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    # officers read the site's default language; the HR officer's admin language says
    # nothing about theirs
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{INVITATION_TEMPLATE_PREFIX}_subject.txt", context, request)
        body = render_to_string(f"{INVITATION_TEMPLATE_PREFIX}_message.txt", context, request)
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, [user.email])


# --- the invitation proves the mailbox ------------------------------------------------------------


def email_verify_on_password_reset(sender, request, user, **kwargs) -> None:
    """Choosing a password through the link e-mailed to the account's address (the invitation,
    or a reset) proves that mailbox: the address counts as verified, which two-factor
    authentication requires (allauth.mfa refuses a device while an address is unverified)."""
    if not user.email:
        return
    EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(
        verified=True
    )
