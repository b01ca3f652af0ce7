"""Certificate templates, issued certificates, their per-year serial counters, the keys that
signed them and bulk issuance jobs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Exam
from lms.storage import private_storage_callable
from staff.models import StaffRecord

from .placeholders import PLACEHOLDER_NAMES, placeholders_unknown


class CertificateTemplate(models.Model):
    """What a certificate says and the rule that issues it: on passing `exam`, on completing
    `course`, or when every requirement of `position` is met (none: issued by hand, in bulk)."""

    title = models.CharField(_("certificate title"), max_length=255)
    body = models.TextField(
        _("content"),
        help_text=_(
            "Plain text; line breaks are kept. These placeholders are replaced by the "
            "certificate's facts: {holder} the holder's full name, {position} their position, "
            "{unit} their org unit, {competencies} the competencies attested with their levels, "
            "{issued_on} and {valid_until} the dates (dd/mm/yyyy), {serial} the serial number. "
            "Use “Preview” to see a certificate with sample data."
        ),
    )
    issuer = models.CharField(_("issuing authority"), max_length=255)
    signatory_name = models.CharField(_("signatory"), max_length=255)
    signatory_title = models.CharField(_("signatory's title"), max_length=255)
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=36)
    exam = models.ForeignKey(
        Exam,
        verbose_name=_("issued on passing exam"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("issued on completing course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.ForeignKey(
        "staff.Position",
        verbose_name=_("issued when every requirement of this position is met"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed at the top; a PNG or JPEG about 300 pixels wide is enough."),
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The signatory's signature or seal, printed above their name."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        unknown = placeholders_unknown(self.body or "")
        if unknown:
            raise ValidationError(
                {
                    "body": _("Unknown placeholder(s): %(unknown)s. Use: %(known)s.")
                    % {
                        "unknown": ", ".join(unknown),
                        "known": ", ".join(f"{{{n}}}" for n in PLACEHOLDER_NAMES),
                    }
                }
            )
        rules = [f for f in ("exam", "course", "position") if getattr(self, f"{f}_id")]
        if len(rules) > 1:
            raise ValidationError(
                _(
                    "A template is issued by one rule: choose an exam, a course or a position "
                    "(or none, for certificates issued by hand)."
                )
            )


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    class PublicReason(models.TextChoices):
        """Why a certificate no longer stands, as the public verification page states it. HR's
        own words stay in `status_reason` and the audit log, never published."""

        ISSUED_IN_ERROR = "issued_in_error", _("Issued in error")
        REQUIREMENT_NOT_MET = "requirement_not_met", _("The holder no longer meets the requirement")
        DATA_CORRECTED = "data_corrected", _("Details corrected; a new certificate was issued")
        MISCONDUCT = "misconduct", _("Fraud or misconduct")
        RECERTIFIED = "recertified", _("Replaced by a new position certificate")
        OTHER = "other", _("Other reason")

    # what HR may choose when revoking (re-issue and re-certification set theirs themselves)
    REVOKE_REASONS = (
        PublicReason.ISSUED_IN_ERROR,
        PublicReason.REQUIREMENT_NOT_MET,
        PublicReason.MISCONDUCT,
        PublicReason.OTHER,
    )

    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    staff = models.ForeignKey(
        StaffRecord,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    # what earned it, e.g. "attempt:42": one certificate per (holder, template, basis)
    basis = models.CharField(_("basis of issue"), max_length=64)
    # snapshot of what is attested: [{"code": "MET-01", "title": "...", "level": "2. ..."}]
    competencies = models.JSONField(_("competencies attested"), default=list)
    holder_name = models.CharField(_("full name"), max_length=255)
    position_name = models.CharField(_("position"), max_length=255)
    unit_name = models.CharField(_("org unit"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VALID
    )
    # HR's own words: kept in the admin and the audit log, never on the public page
    status_reason = models.TextField(_("internal note"), blank=True)
    public_reason = models.CharField(
        _("published reason"), max_length=32, choices=PublicReason.choices, blank=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # a re-issued certificate points at the one that replaces it
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    # at least 128 random bits, never derived from the serial or the holder
    verification_code = models.CharField(_("verification code"), max_length=64, unique=True)
    pdf = models.FileField(
        _("PDF file"), storage=private_storage_callable, upload_to="certificates/%Y/", blank=True
    )
    # of the signed file as stored and downloaded: an uploaded copy is looked up by it
    pdf_sha256 = models.CharField(
        _("SHA-256 of the issued PDF file"), max_length=64, blank=True, db_index=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # the Open Badges 3.0 credential as a signed JWT (certificates/badges.py), made with the PDF
    badge_jwt = models.TextField(_("digital badge (Open Badges)"), blank=True)
    signed_by = models.ForeignKey(
        "SigningCertificate",
        verbose_name=_("signing key"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the address the site was reached at when the certificate was issued (embedded mode,
    # without SITE_URL): its QR code, badge and e-mails point there (lms/site_url.py)
    site_url = models.CharField(_("site address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        permissions = [("revoke_certificate", _("Can revoke and re-issue certificates"))]
        # a bulk issuance counts its progress by basis
        indexes = [models.Index(fields=["basis"], name="certificate_basis")]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "template", "basis"], name="certificate_once_per_basis"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issued_on")),
                name="certificate_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} – {self.holder_name}"


class SerialCounter(models.Model):
    """Last serial number issued per year; incremented under a row lock."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SigningCertificate(models.Model):
    """An X.509 certificate whose key has signed certificate files or badges. Recorded when a
    signing session opens, so keys can rotate: every one ever used stays published (JWKS) and
    trusted when an uploaded file is checked."""

    # SHA-256 of the DER
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    pem = models.TextField(_("certificate (PEM)"))
    subject = models.CharField(_("subject"), max_length=500)
    not_after = models.DateTimeField(_("valid until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.fingerprint[:16]})"


class IssuanceJob(models.Model):
    """A bulk issuance of one template to many staff, run in the background by chunks; each
    holder gets one certificate per job (basis "batch:<job id>")."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_ids = models.JSONField(_("staff records"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    # certificates of this job issued, rendered and signed so far
    processed = models.PositiveIntegerField(_("processed"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk issuance")
        verbose_name_plural = _("bulk issuances")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.template} × {self.total}"

    @property
    def basis(self) -> str:
        return f"batch:{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.processed * 100 // self.total)


class CertificateExport(models.Model):
    """A ZIP of many certificate PDFs built in the background (large exports only; small ones
    are streamed straight to the browser). Seen by whoever asked for it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "staff.OrgUnit",
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    only_valid = models.BooleanField(_("valid certificates only"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    file = models.FileField(
        _("file"), storage=private_storage_callable, upload_to="exports/", blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate export")
        verbose_name_plural = _("certificate exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.org_unit or '—'} ({self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.processed * 100 // self.total)


class ExpiryReminder(models.Model):
    """A reminder sent for a certificate at one threshold (days before expiry): the unique
    constraint is what makes a second run of the job send nothing twice."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="expiry_reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="expiryreminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} −{self.days_before}"
