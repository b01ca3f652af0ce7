"""Reads of certificates: public verification facts and scoped access for holders and HR."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.selectors import staff_for_user, staff_list_in_scope

from .models import Certificate

LIVE_STATUS_LABELS = {
    "valid": _("Valid"),
    "expiring": _("Valid, expiring soon"),
    "expired": _("No longer valid"),
    "revoked": _("Revoked"),
    "superseded": _("Superseded"),
}


@dataclass(frozen=True)
class LiveStatus:
    code: str

    @property
    def label(self) -> str:
        return str(LIVE_STATUS_LABELS[self.code])

    @property
    def is_valid(self) -> bool:
        return self.code in ("valid", "expiring")


def certificate_live_status(*, certificate: Certificate, today: date | None = None) -> LiveStatus:
    """Stored status for revocation/supersession; validity by date is computed on read, so
    an expired certificate never shows as valid, whatever the periodic jobs have done."""
    if certificate.status != Certificate.Status.VALID:
        return LiveStatus(certificate.status)
    today = today or timezone.localdate()
    if certificate.valid_until < today:
        return LiveStatus("expired")
    if certificate.valid_until <= today + timedelta(days=settings.COMPETENCY_EXPIRING_WINDOW_DAYS):
        return LiveStatus("expiring")
    return LiveStatus("valid")


def certificate_get_by_code(*, code: str) -> Certificate:
    certificate = Certificate.objects.filter(verification_code=code).first() if code else None
    if certificate is None:
        raise Http404
    return certificate


def certificate_list_for_user(*, user) -> QuerySet[Certificate]:
    staff = staff_for_user(user=user)
    return Certificate.objects.filter(staff=staff) if staff else Certificate.objects.none()


def certificate_list_in_scope(*, user) -> QuerySet[Certificate]:
    """Certificates of staff in the HR officer's subtree (everything for administrators)."""
    return Certificate.objects.filter(staff__in=staff_list_in_scope(user=user)).select_related(
        "staff", "template"
    )


def certificate_get_for_download(*, user, certificate_id: int) -> Certificate:
    """The holder, or HR in scope, may download; for anyone else it does not exist (404)."""
    certificate = (
        Certificate.objects.select_related("staff__org_unit").filter(pk=certificate_id).first()
    )
    if certificate is None:
        raise Http404
    if certificate.staff.user_id == user.pk:
        return certificate
    if staff_list_in_scope(user=user).filter(pk=certificate.staff_id).exists():
        return certificate
    raise Http404
