"""Certificate templates, issued certificates and their per-year serial counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Exam
from lms.storage import private_storage_callable
from staff.models import StaffRecord


class CertificateTemplate(models.Model):
    """What a certificate says and when it is issued (for now: on passing `exam`)."""

    title = models.CharField(_("certificate title"), max_length=255)
    body = models.TextField(
        _("content"),
        help_text=_(
            "You can use: {holder}, {position}, {unit}, {competencies}, {issued_on}, "
            "{valid_until}, {serial}"
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
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.title


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

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
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # at least 128 random bits, never derived from the serial or the holder
    verification_code = models.CharField(max_length=64, unique=True)
    pdf = models.FileField(
        storage=private_storage_callable, upload_to="certificates/%Y/", blank=True
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
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

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
