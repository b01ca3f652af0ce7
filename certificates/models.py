"""Certificate templates, issued certificates and their per-year serial counters."""

from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Exam
from staff.models import StaffRecord


def _private_storage():
    return storages["private"]


class CertificateTemplate(models.Model):
    """What a certificate says and when it is issued (for now: on passing `exam`)."""

    title = models.CharField(_("tên chứng chỉ"), max_length=255)
    body = models.TextField(
        _("nội dung"),
        help_text=_(
            "Có thể dùng: {holder}, {position}, {unit}, {competencies}, {issued_on}, "
            "{valid_until}, {serial}"
        ),
    )
    issuer = models.CharField(_("cơ quan cấp"), max_length=255)
    signatory_name = models.CharField(_("người ký"), max_length=255)
    signatory_title = models.CharField(_("chức vụ người ký"), max_length=255)
    validity_months = models.PositiveSmallIntegerField(_("hiệu lực (tháng)"), default=36)
    exam = models.ForeignKey(
        Exam,
        verbose_name=_("cấp khi đạt bài thi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("mẫu chứng chỉ")
        verbose_name_plural = _("mẫu chứng chỉ")

    def __str__(self) -> str:
        return self.title


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Còn hiệu lực")
        REVOKED = "revoked", _("Đã thu hồi")
        SUPERSEDED = "superseded", _("Đã được thay thế")

    serial = models.CharField(_("số hiệu"), max_length=32, unique=True)
    staff = models.ForeignKey(
        StaffRecord,
        verbose_name=_("người được cấp"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("mẫu"), on_delete=models.PROTECT, related_name="+"
    )
    # what earned it, e.g. "attempt:42": one certificate per (holder, template, basis)
    basis = models.CharField(_("căn cứ cấp"), max_length=64)
    # snapshot of what is attested: [{"code": "MET-01", "title": "...", "level": "2. ..."}]
    competencies = models.JSONField(_("năng lực được công nhận"), default=list)
    holder_name = models.CharField(_("họ và tên"), max_length=255)
    position_name = models.CharField(_("vị trí"), max_length=255)
    unit_name = models.CharField(_("đơn vị"), max_length=255)
    issued_on = models.DateField(_("ngày cấp"))
    valid_until = models.DateField(_("hiệu lực đến"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.VALID
    )
    status_reason = models.TextField(_("lý do"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # at least 128 random bits, never derived from the serial or the holder
    verification_code = models.CharField(max_length=64, unique=True)
    pdf = models.FileField(storage=_private_storage, upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chứng chỉ")
        verbose_name_plural = _("chứng chỉ")
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
