"""The minimum competency framework and the evidence of what each officer can do."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.storage import private_storage_callable
from lms.translated import InReadersLanguage
from staff.models import Position, StaffRecord


class Domain(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("domain name"), max_length=255)
    name_en = models.CharField(
        _("domain name in English"), max_length=255, blank=True, default="", db_default=""
    )
    shown_name = InReadersLanguage("name")

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    title = models.CharField(_("competency name"), max_length=255)
    title_en = models.CharField(
        _("competency name in English"), max_length=255, blank=True, default="", db_default=""
    )
    shown_title = InReadersLanguage("title")
    description = models.TextField(_("description"), blank=True)
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="competencies"
    )
    # the other way to obtain a competency than an exam: HR records it after observing the work
    assessed_by_hr = models.BooleanField(
        _("assessed by HR"),
        default=False,
        db_default=False,
        help_text=_(
            "HR officers assess this competency directly (observation, interview, records of "
            "work done), at any level; it then needs no exam."
        ),
    )

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def shown_label(self) -> str:
        """`str()` in the reader's language (str itself stays Vietnamese: certificates use it)."""
        return f"{self.code} {self.shown_title}"


class ProficiencyLevel(models.Model):
    """An ordered scale: 1 awareness … 4 expert. Comparisons use `rank`."""

    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    name = models.CharField(_("level name"), max_length=64)
    name_en = models.CharField(
        _("level name in English"), max_length=64, blank=True, default="", db_default=""
    )
    shown_name = InReadersLanguage("name")

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"

    @property
    def shown_label(self) -> str:
        return f"{self.rank}. {self.shown_name}"


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("No longer in force")

    name = models.CharField(_("framework name"), max_length=255)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
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

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("competency framework"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="requirements"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.ForeignKey(
        ProficiencyLevel,
        verbose_name=_("minimum level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=36)

    class Meta:
        verbose_name = _("minimum requirement")
        verbose_name_plural = _("minimum requirements")
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
        EXAM = "exam", _("Exam")
        CERTIFICATE = "certificate", _("Certificate")
        MANUAL = "manual", _("HR officer's assessment")

    staff = models.ForeignKey(
        StaffRecord,
        verbose_name=_("staff record"),
        on_delete=models.CASCADE,
        related_name="competency_records",
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="records"
    )
    level = models.ForeignKey(
        ProficiencyLevel,
        verbose_name=_("proficiency level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # "attempt:42", "certificate:7": a reference into a downstream app, kept as text so this
    # upstream app never imports it
    evidence_ref = models.CharField(_("evidence"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), storage=private_storage_callable, upload_to="evidence/%Y/", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_on = models.DateField(_("assessed on"))
    valid_until = models.DateField(_("valid until"))
    # withdrawn evidence (its certificate was revoked) no longer counts towards any standing;
    # the record stays, with why, for the officer and HR to see (competency_records_withdraw)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)

    class Meta:
        verbose_name = _("competency record")
        verbose_name_plural = _("competency records")
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
