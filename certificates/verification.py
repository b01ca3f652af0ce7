"""Public verification: the facts of a certificate as data, the per-client rate limit on
lookups, and checking an uploaded PDF against what was issued.

An uploaded file is "the issued file" when its SHA-256 is that of a certificate's stored
(signed) PDF; pyHanko's validation of its signature is reported alongside. A file whose hash
matches nothing but which names a certificate (the verification URL in its document
information, which is also in its QR code) is "modified"; anything else is "not issued here".
Hostile files (not a PDF, too large, encrypted, unreadable) get their own answers, never an
error page."""

import hashlib
import io
import logging
import re
import time
from dataclasses import dataclass
from datetime import date

from allauth.account.adapter import get_adapter
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone

from .links import verify_url
from .models import Certificate, SigningCertificate
from .selectors import LiveStatus, certificate_live_status

logger = logging.getLogger("certificates.verification")

CODE_IN_URL = re.compile(r"/verify/([A-Za-z0-9_-]{16,64})/")
# bytes a PDF header may be preceded by (the specification allows junk before "%PDF-")
PDF_HEADER_WINDOW = 1024


def code_prefix(code: str) -> str:
    """What the logs may hold of a code: enough to correlate, far too little to use."""
    return (code or "")[:6]


# --- rate limit ------------------------------------------------------------------------------


def verify_rate_limited(request) -> bool:
    """Count one lookup (page, JSON or upload) against the client's current minute; True when
    over CERTIFICATE_VERIFY_RATE_PER_MINUTE. The client address is allauth's (the same proxy
    settings as the login rate limits); counters live in the shared cache."""
    try:
        ip = get_adapter().get_client_ip(request) or "unknown"
    except (ImproperlyConfigured, PermissionDenied):
        # a proxy count larger than the X-Forwarded-For chain: count against the peer address
        # (a shared budget) rather than answer the public with an error page
        ip = request.META.get("REMOTE_ADDR") or "unknown"
    client = hashlib.sha256(ip.encode()).hexdigest()[:32]
    key = f"certificates:verify:{client}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE


# --- the facts ---------------------------------------------------------------------------------


def certificate_facts(
    *, certificate: Certificate, status: LiveStatus | None = None, request=None
) -> dict:
    """What anyone holding the code may read: the certificate's own facts, never the staff
    record (no personnel number, contact or account)."""
    status = status or certificate_live_status(certificate=certificate)
    facts = {
        "status": status.code,
        "status_label": status.label,
        "serial": certificate.serial,
        "title": certificate.template.title,
        "issuer": certificate.template.issuer,
        "holder": certificate.holder_name,
        "position": certificate.position_name,
        "unit": certificate.unit_name,
        "competencies": [
            {"code": c.get("code", ""), "title": c.get("title", ""), "level": c.get("level", "")}
            for c in certificate.competencies
        ],
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "pdf_sha256": certificate.pdf_sha256 or None,
        "verify_url": verify_url(certificate=certificate, request=request),
    }
    if certificate.status != Certificate.Status.VALID:
        changed = certificate.status_changed_at
        # the date in the site's time zone (Vietnam), as the page shows it, not UTC's
        facts["status_changed_on"] = timezone.localdate(changed).isoformat() if changed else None
        # the reason chosen from the list, never HR's own words (status_reason: internal)
        facts["reason_code"] = certificate.public_reason or None
        facts["reason"] = certificate.get_public_reason_display() or None
    successor = getattr(certificate, "superseded_by", None)
    if certificate.status == Certificate.Status.SUPERSEDED and successor is not None:
        facts["superseded_by"] = verify_url(certificate=successor, request=request)
    return facts


# --- uploaded files ----------------------------------------------------------------------------


class Verdict:
    ISSUED = "issued"  # byte for byte the file that was issued
    MODIFIED = "modified"  # names a certificate of ours, but is not its file
    UNKNOWN = "unknown"  # a PDF, but not one issued here
    NOT_PDF = "not_pdf"
    TOO_LARGE = "too_large"
    ENCRYPTED = "encrypted"
    UNREADABLE = "unreadable"


class Signature:
    INTACT = "intact"  # the signature is valid, by one of our keys, over the whole file
    BROKEN = "broken"  # the signed bytes were changed
    ADDED_TO = "added_to"  # intact, but content was appended after signing
    UNTRUSTED = "untrusted"  # intact, but not made by one of our keys
    NONE = "none"


@dataclass(frozen=True)
class PdfCheck:
    verdict: str
    signature: str = Signature.NONE
    certificate: Certificate | None = None
    status: LiveStatus | None = None
    checked_on: date | None = None


def _trust_roots() -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(pem.unarmor(row.pem.encode())[2])
        for row in SigningCertificate.objects.all()
    ]


def _signature_state(reader) -> str:
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signatures = reader.embedded_signatures
    if not signatures:
        return Signature.NONE
    context = ValidationContext(trust_roots=_trust_roots())
    status = validate_pdf_signature(signatures[-1], context)
    if not (status.intact and status.valid):
        return Signature.BROKEN
    if not status.trusted:
        return Signature.UNTRUSTED
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Signature.ADDED_TO
    return Signature.INTACT


def _named_code(reader) -> str | None:
    """The verification code in the document information (`<meta name="subject">`)."""
    info = reader.trailer_view.get("/Info")
    if info is None:
        return None
    subject = str(info.get_object().get("/Subject", ""))
    match = CODE_IN_URL.search(subject)
    return match.group(1) if match else None


def pdf_check(*, data: bytes) -> PdfCheck:
    """Is this the file that was issued, and what is its certificate's status now?"""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if len(data) > settings.CERTIFICATE_VERIFY_UPLOAD_MAX_BYTES:
        return PdfCheck(Verdict.TOO_LARGE)
    if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
        return PdfCheck(Verdict.NOT_PDF)
    digest = hashlib.sha256(data).hexdigest()
    certificate = (
        Certificate.objects.select_related("template", "superseded_by")
        .filter(pdf_sha256=digest)
        .first()
    )
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return PdfCheck(Verdict.ENCRYPTED)
        signature = _signature_state(reader)
        code = None if certificate else _named_code(reader)
    except Exception:  # a hostile or broken file: pyHanko raises many kinds of errors
        logger.info("certificate file check: unreadable PDF (%d bytes)", len(data))
        if certificate is None:
            return PdfCheck(Verdict.UNREADABLE)
        signature, code = Signature.NONE, None
    if certificate is None and code:
        certificate = (
            Certificate.objects.select_related("template", "superseded_by")
            .filter(verification_code=code)
            .first()
        )
        verdict = Verdict.MODIFIED if certificate else Verdict.UNKNOWN
    else:
        verdict = Verdict.ISSUED if certificate else Verdict.UNKNOWN
    logger.info(
        "certificate file check: %s, signature %s, code %s",
        verdict,
        signature,
        code_prefix(certificate.verification_code) if certificate else "-",
    )
    return PdfCheck(
        verdict=verdict,
        signature=signature,
        certificate=certificate,
        status=certificate_live_status(certificate=certificate) if certificate else None,
    )
