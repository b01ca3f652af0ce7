"""Question bank (immutable versions), exams with blueprints, attempts and their items."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from competencies.models import Competency, ProficiencyLevel
from courses.models import CoursePage
from staff.models import StaffRecord


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE_CHOICE = "single", _("Single choice")
        MULTIPLE_CHOICE = "multiple", _("Multiple choice")
        TRUE_FALSE = "truefalse", _("True/false")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("question name"), max_length=255)
    qtype = models.CharField(_("question type"), max_length=16, choices=Type.choices)
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    difficulty = models.CharField(_("difficulty"), max_length=8, choices=Difficulty.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("question bank")
        indexes = [models.Index(fields=["competency", "difficulty", "status"])]

    def __str__(self) -> str:
        return self.name


class QuestionVersion(models.Model):
    """An immutable snapshot of a question's text, options and key. Editing makes a new one;
    attempts point at the version they were given."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    stem = models.TextField(_("question text"))  # sanitised HTML
    # [{"key": "a", "text": "...", "correct": true}, ...]
    options = models.JSONField(_("options"))
    explanation = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="questionversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"


class Exam(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        CERTIFICATION = "certification", _("Certification exam")

    title = models.CharField(_("exam title"), max_length=255)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requires_course_completion = models.BooleanField(
        _("course must be completed first"), default=True
    )
    instructions = models.TextField(_("instructions"), blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=30, validators=[MinValueValidator(1)]
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    cooldown_minutes = models.PositiveIntegerField(
        _("waiting time between attempts (minutes)"), default=0
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    awarded_level = models.ForeignKey(
        ProficiencyLevel,
        verbose_name=_("proficiency level awarded on passing"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark_percent__gte=1, pass_mark_percent__lte=100),
                name="exam_pass_mark_range",
            )
        ]

    def __str__(self) -> str:
        return self.title


class BlueprintCell(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="blueprint")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    difficulty = models.CharField(max_length=8, choices=Difficulty.choices)
    count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "competency", "difficulty"], name="blueprintcell_unique"
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="blueprint_count_min"),
        ]

    def __str__(self) -> str:
        return f"{self.competency} × {self.get_difficulty_display()} × {self.count}"


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        GRADED = "graded", _("Graded")

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    staff = models.ForeignKey(StaffRecord, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submit_key = models.CharField(max_length=64, blank=True)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    # {"MET-01": 80.0, ...}
    competency_scores = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "staff", "number"], name="attempt_number"),
            # an officer has at most one open attempt per exam, even if "start" is sent twice
            models.UniqueConstraint(
                fields=["exam", "staff"],
                condition=models.Q(status="in_progress"),
                name="attempt_single_open",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("started_at")),
                name="attempt_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam} #{self.number} ({self.staff})"


class AttemptItem(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question_version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="+"
    )
    # the option keys in the order this officer sees them
    option_order = models.JSONField()
    # the option keys chosen; null while unanswered
    response = models.JSONField(null=True, blank=True)
    # the client's sequence number of the save that wrote `response`; older saves never win
    saved_seq = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attemptitem_position")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"
