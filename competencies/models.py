"""The minimum competency framework and the evidence of what each officer can do."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.models import Position, StaffRecord


class Domain(models.Model):
    code = models.CharField(_("mã"), max_length=16, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    code = models.CharField(_("mã"), max_length=16, unique=True)
    title = models.CharField(_("tên năng lực"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    domain = models.ForeignKey(
        Domain, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="competencies"
    )

    class Meta:
        verbose_name = _("năng lực")
        verbose_name_plural = _("năng lực")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProficiencyLevel(models.Model):
    """An ordered scale: 1 awareness … 4 expert. Comparisons use `rank`."""

    rank = models.PositiveSmallIntegerField(_("bậc"), unique=True)
    name = models.CharField(_("tên mức"), max_length=64)

    class Meta:
        verbose_name = _("mức thành thạo")
        verbose_name_plural = _("mức thành thạo")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã ban hành")
        RETIRED = "retired", _("Hết hiệu lực")

    name = models.CharField(_("tên khung"), max_length=255)
    version = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)

    class Meta:
        verbose_name = _("khung năng lực")
        verbose_name_plural = _("khung năng lực")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="framework_version_unique"),
            # at most one published framework at a time: requirements are read from it
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="framework_single_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Requirement(models.Model):
    """Framework × position × competency → minimum level, valid for N months once met."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    min_level = models.ForeignKey(ProficiencyLevel, on_delete=models.PROTECT, related_name="+")
    validity_months = models.PositiveSmallIntegerField(_("hiệu lực (tháng)"), default=36)

    class Meta:
        verbose_name = _("yêu cầu tối thiểu")
        verbose_name_plural = _("yêu cầu tối thiểu")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "position", "competency"], name="requirement_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(validity_months__gt=0), name="requirement_validity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} · {self.competency} ≥ {self.min_level}"


class CompetencyRecord(models.Model):
    """Evidence that a staff member holds a competency at a level until a date."""

    class Source(models.TextChoices):
        EXAM = "exam", _("Bài thi")
        CERTIFICATE = "certificate", _("Chứng chỉ")
        MANUAL = "manual", _("Đánh giá của cán bộ nhân sự")

    staff = models.ForeignKey(
        StaffRecord, on_delete=models.CASCADE, related_name="competency_records"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="records")
    level = models.ForeignKey(ProficiencyLevel, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices)
    # "attempt:42", "certificate:7": a reference into a downstream app, kept as text so this
    # upstream app never imports it
    evidence_ref = models.CharField(_("minh chứng"), max_length=64)
    note = models.TextField(_("ghi chú"), blank=True)
    assessed_on = models.DateField(_("ngày đánh giá"))
    valid_until = models.DateField(_("hiệu lực đến"))

    class Meta:
        verbose_name = _("hồ sơ năng lực")
        verbose_name_plural = _("hồ sơ năng lực")
        constraints = [
            # re-running the grading of one attempt never doubles the evidence
            models.UniqueConstraint(
                fields=["staff", "competency", "evidence_ref"], name="competencyrecord_once"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("assessed_on")),
                name="competencyrecord_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["staff", "competency", "-valid_until"])]

    def __str__(self) -> str:
        return f"{self.staff} · {self.competency} · {self.level}"
