"""Reads of certificates: public verification facts and scoped access for holders and HR."""

import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.text import fold_vietnamese
from staff.selectors import staff_for_user, staff_list_in_scope, user_is_administrator

from .models import Certificate, IssuanceJob

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


# verification codes are 43 characters (32 random bytes, base64url); anything far from that
# is answered without a query, the same way as an unknown code
CODE_LENGTHS = range(16, 65)


def certificate_find_by_code(*, code: str) -> Certificate | None:
    if len(code or "") not in CODE_LENGTHS:
        return None
    return (
        Certificate.objects.select_related("template", "superseded_by")
        .filter(verification_code=code)
        .first()
    )


SERIAL_MAX_LENGTH = 32
NAME_MAX_LENGTH = 255
SERIAL_PATTERN = re.compile(r"([A-Z]+)(\d{4})(\d{6})")


def serial_normalise(serial: str) -> str:
    """ "cc 2026 000001", "CC–2026–000001" → "CC-2026-000001": case, spaces and dashes as
    typed do not matter."""
    text = unicodedata.normalize("NFKC", serial or "").upper()
    compact = "".join(c for c in text if c.isalnum())
    match = SERIAL_PATTERN.fullmatch(compact)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else "".join(text.split())


def name_fold(name: str) -> str:
    """A full name for comparison: case, extra spaces and Vietnamese diacritics ignored
    ("NGUYEN  thi hoa" matches "Nguyễn Thị Hoa")."""
    return fold_vietnamese(name or "")


def certificate_find_by_serial_and_name(*, serial: str, name: str) -> Certificate | None:
    """The certificate with this serial whose holder's name (as printed on it) is `name`;
    None for an unknown serial and for a wrong name alike, so the answer never tells whether
    a serial exists."""
    serial = serial_normalise(serial)
    folded = name_fold(name)
    if not serial or not folded or len(serial) > SERIAL_MAX_LENGTH:
        return None
    certificate = (
        Certificate.objects.select_related("template", "superseded_by")
        .filter(serial=serial)
        .first()
    )
    holder = name_fold(certificate.holder_name) if certificate else ""
    # compared in constant time, and a comparison is made whether the serial exists or not
    matches = hmac.compare_digest(holder.encode(), folded.encode())
    return certificate if certificate is not None and matches else None


def certificate_get_by_code(*, code: str) -> Certificate:
    certificate = certificate_find_by_code(code=code)
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
        Certificate.objects.select_related("staff__org_unit", "template", "superseded_by")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise Http404
    if certificate.staff.user_id == user.pk:
        return certificate
    if staff_list_in_scope(user=user).filter(pk=certificate.staff_id).exists():
        return certificate
    raise Http404


def issuance_job_list_for(*, user) -> QuerySet[IssuanceJob]:
    """Bulk issuances are seen by whoever started them; administrators see all of them."""
    jobs = IssuanceJob.objects.select_related("template")
    if not user.is_authenticated:
        return jobs.none()
    return jobs if user_is_administrator(user=user) else jobs.filter(created_by=user)


def certificate_audit_trail(*, certificate: Certificate) -> list:
    """Who did what to the certificate, when and why (Wagtail's audit log), newest first."""
    from wagtail.models import ModelLogEntry

    return list(
        ModelLogEntry.objects.for_instance(certificate)
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def certificates_expiring_in_scope(*, user, within_days: int) -> QuerySet[Certificate]:
    """Valid certificates in the user's scope whose expiry falls within the coming days."""
    today = timezone.localdate()
    return (
        certificate_list_in_scope(user=user)
        .filter(
            status=Certificate.Status.VALID,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=within_days),
        )
        .order_by("valid_until", "pk")
    )


def staff_certificate_list_in_scope(*, user, staff) -> QuerySet[Certificate]:
    """One person's certificates, newest first, as far as the user's HR scope reaches (none
    outside it); with what the staff record's certificate panel shows, in one query."""
    return (
        certificate_list_in_scope(user=user)
        .filter(staff=staff)
        .select_related("superseded_by")
        .order_by("-issued_on", "-pk")
    )
