"""Question bank (immutable versions), exams with blueprints, attempts and their items."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from competencies.models import Competency, ProficiencyLevel
from courses.models import CoursePage
from lms.translated import InReadersLanguage
from staff.models import Position, StaffRecord


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Question(models.Model):
    """A question of the bank. Its text and key live in immutable versions; `status` is the
    review state of the newest version (`current_version`), and `approved_version` is the
    version certification exams draw, which stays in use while a newer draft is reviewed."""

    class Type(models.TextChoices):
        SINGLE_CHOICE = "single", _("Single choice")
        MULTIPLE_CHOICE = "multiple", _("Multiple choice")
        TRUE_FALSE = "truefalse", _("True/false")
        NUMERIC = "numeric", _("Numeric (with tolerance and unit)")
        SHORT_TEXT = "shorttext", _("Short text")
        MATCHING = "matching", _("Matching")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved")
        RETIRED = "retired", _("Retired")

    CHOICE_TYPES = frozenset({Type.SINGLE_CHOICE, Type.MULTIPLE_CHOICE, Type.TRUE_FALSE})

    name = models.CharField(_("question name"), max_length=255)
    qtype = models.CharField(_("question type"), max_length=16, choices=Type.choices)
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    difficulty = models.CharField(_("difficulty"), max_length=8, choices=Difficulty.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # legal basis: the document (title or number), the article, and when it took effect
    legal_document = models.CharField(
        _("legal document"),
        max_length=255,
        blank=True,
        help_text=_("Title or number, e.g. Law on Metrology No. 04/2011/QH13"),
    )
    legal_article = models.CharField(
        _("article"), max_length=100, blank=True, help_text=_("e.g. Article 16, clause 2")
    )
    legal_effective_date = models.DateField(_("effective date"), null=True, blank=True)
    current_version = models.ForeignKey(
        "QuestionVersion",
        verbose_name=_("latest version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_version = models.ForeignKey(
        "QuestionVersion",
        verbose_name=_("approved version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tags = TaggableManager(verbose_name=_("tags"), through="QuestionTag", blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("question bank")
        indexes = [
            models.Index(fields=["competency", "difficulty", "status"]),
            models.Index(fields=["competency", "difficulty", "approved_version"]),
        ]
        permissions = [
            ("review_question", _("Can mark questions as reviewed")),
            ("approve_question", _("Can approve and retire questions")),
        ]
        constraints = [
            # an approved question is drawn in its newest version
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | models.Q(approved_version=models.F("current_version")),
                name="question_approved_is_current",
            ),
            # a retired question is never drawn
            models.CheckConstraint(
                condition=~models.Q(status="retired") | models.Q(approved_version__isnull=True),
                name="question_retired_not_drawn",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def legal_basis(self) -> str:
        """The legal basis in one line, e.g. "Luật Đo lường 2011, Điều 16 (01/07/2012)"."""
        parts = [p for p in (self.legal_document, self.legal_article) if p]
        text = ", ".join(parts)
        if self.legal_effective_date and text:
            text += f" ({self.legal_effective_date:%d/%m/%Y})"
        return text


class QuestionTag(TaggedItemBase):
    content_object = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("question tag")
        verbose_name_plural = _("question tags")


class QuestionVersion(models.Model):
    """An immutable snapshot of a question's text, options and key. Editing makes a new one;
    attempts point at the version they were given.

    Choice types keep their key in `options`:
    ``[{"key": "a", "text": "...", "correct": true, "fraction": 0.5, "feedback": ""}]``
    (fraction and feedback optional). Other types keep it in `data`:
    numeric ``{"answers": [{"value", "tolerance", "fraction", "feedback"}],
    "units": [{"unit", "multiplier"}], "unit_required": bool}``;
    shorttext ``{"answers": [{"text", "fraction", "feedback"}], "case_sensitive": bool,
    "ignore_diacritics": bool}``; matching ``{"pairs": [{"key", "prompt", "answer"}],
    "distractors": [str]}``. `assessments.bank_payload` validates both."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version number"))
    stem = models.TextField(_("question text"))  # sanitised HTML
    options = models.JSONField(_("options"), default=list, blank=True)
    data = models.JSONField(_("answer data"), default=dict, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)  # sanitised HTML
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="questionversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"

    def save(self, *args, **kwargs):
        # the integrity guard of "immutable": an attempt graded against this version must be
        # re-gradable years later, so a version is written once and never updated
        if not self._state.adding:
            raise ValueError("A question version is immutable; create a new version instead.")
        super().save(*args, **kwargs)


class ReviewPolicy(models.TextChoices):
    """What an officer sees of a graded attempt, from least to most."""

    NOTHING = "nothing", _("Nothing (only that the answers were submitted)")
    SCORE = "score", _("Score only")
    RIGHT_WRONG = "right_wrong", _("Score and which answers were right")
    FULL = "full", _("Everything: correct answers, feedback and explanations")


REVIEW_POLICY_RANK = {policy: rank for rank, policy in enumerate(ReviewPolicy.values)}


class Exam(ClusterableModel):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        CERTIFICATION = "certification", _("Certification exam")

    title = models.CharField(_("exam title"), max_length=255)
    title_en = models.CharField(
        _("exam title in English"), max_length=255, blank=True, default="", db_default=""
    )
    shown_title = InReadersLanguage("title")
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
    instructions_en = models.TextField(
        _("instructions in English"), blank=True, default="", db_default=""
    )
    shown_instructions = InReadersLanguage("instructions")
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
    eligible_positions = ParentalManyToManyField(
        Position,
        verbose_name=_("positions allowed to take the exam"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to let every position take the exam."),
    )
    review_after_submit = models.CharField(
        _("after submitting, the officer sees"),
        max_length=16,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.SCORE,
    )
    review_after_close = models.CharField(
        _("after the exam closes, the officer sees"),
        max_length=16,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.SCORE,
        help_text=_("Applies once the closing time has passed."),
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

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError(
                {"closes_at": _("The exam must close after it opens.")}, code="window"
            )
        if REVIEW_POLICY_RANK.get(self.review_after_close, 0) < REVIEW_POLICY_RANK.get(
            self.review_after_submit, 0
        ):
            raise ValidationError(
                {
                    "review_after_close": _(
                        "After the exam closes, officers cannot see less than after submitting."
                    )
                },
                code="review_policy",
            )

    def review_policy_now(self, *, now) -> str:
        """The review policy in force: the "after close" one once the closing time passed."""
        if self.closes_at and now > self.closes_at:
            return self.review_after_close
        return self.review_after_submit


class BlueprintCell(models.Model):
    exam = ParentalKey(
        Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="blueprint"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    difficulty = models.CharField(_("difficulty"), max_length=8, choices=Difficulty.choices)
    count = models.PositiveSmallIntegerField(
        _("number of questions"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("blueprint cell")
        verbose_name_plural = _("blueprint cells")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "competency", "difficulty"], name="blueprintcell_unique"
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="blueprint_count_min"),
        ]

    def __str__(self) -> str:
        return f"{self.competency} × {self.get_difficulty_display()} × {self.count}"


class ExamCompetencyRule(models.Model):
    """A minimum score on one competency: below it the attempt fails, whatever the total."""

    exam = ParentalKey(
        Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="competency_rules"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark for this competency (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("pass mark per competency")
        verbose_name_plural = _("pass marks per competency")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "competency"], name="examcompetencyrule_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark_percent__gte=1, pass_mark_percent__lte=100),
                name="examcompetencyrule_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency} ≥ {self.pass_mark_percent}%"


class ExamLevelThreshold(models.Model):
    """Passing with at least `min_percent` on a competency records this level for it; the
    highest threshold reached wins. Without thresholds the exam awards `awarded_level`."""

    exam = ParentalKey(
        Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="level_thresholds"
    )
    level = models.ForeignKey(
        ProficiencyLevel,
        verbose_name=_("proficiency level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_percent = models.PositiveSmallIntegerField(
        _("minimum competency score (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("level threshold")
        verbose_name_plural = _("level thresholds")
        constraints = [
            models.UniqueConstraint(fields=["exam", "level"], name="examlevelthreshold_unique"),
            models.CheckConstraint(
                condition=models.Q(min_percent__gte=1, min_percent__lte=100),
                name="examlevelthreshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"≥ {self.min_percent}% → {self.level}"


def level_thresholds_problems(thresholds: list[tuple[int, int]]) -> list[str]:
    """Why (level rank, min percent) pairs cannot stand: a higher level must need a higher
    score, and a level appears once."""
    problems = []
    ranks = [rank for rank, _percent in thresholds]
    if len(set(ranks)) != len(ranks):
        problems.append(_("Each proficiency level can have only one threshold."))
    ordered = sorted(thresholds)
    for (low_rank, low), (high_rank, high) in zip(ordered, ordered[1:], strict=False):
        if high_rank > low_rank and high <= low:
            problems.append(
                _(
                    "Thresholds must rise with the level: level %(high)d needs more than "
                    "%(percent)d%%."
                )
                % {"high": high_rank, "percent": low}
            )
    return problems


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        GRADED = "graded", _("Graded")

    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.PROTECT, related_name="attempts"
    )
    staff = models.ForeignKey(
        StaffRecord,
        verbose_name=_("staff record"),
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    # the number of items drawn at the start, fixed for the attempt's life: a save knows
    # whether it answered the last question without counting the items
    question_count = models.PositiveSmallIntegerField(_("number of questions"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submit_key = models.CharField(_("submission key"), max_length=64, blank=True)
    score_percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)
    # {"MET-01": 80.0, ...}
    competency_scores = models.JSONField(_("scores by competency"), default=dict, blank=True)

    class Meta:
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
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
        return gettext("%(exam)s, attempt %(number)s, %(staff)s") % {
            "exam": self.exam,
            "number": self.number,
            "staff": self.staff,
        }


class AttemptItem(models.Model):
    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("question number"))
    question_version = models.ForeignKey(
        QuestionVersion,
        verbose_name=_("question version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # what this officer sees in which order: choice types, the option keys; matching,
    # {"prompts": [pair keys], "answers": [indexes into the version's answer texts]} (an
    # answer's key on the page is its position in this list, so the page never tells which
    # answer belongs to which prompt); numeric and short text, []
    option_order = models.JSONField(_("option order"))
    # choice types: the option keys chosen; numeric: {"value": str, "unit": str};
    # short text: {"text": str}; matching: {"p1": "answer key", ...}; null while unanswered
    response = models.JSONField(_("answer"), null=True, blank=True)
    # the client's sequence number of the save that wrote `response`; older saves never win
    saved_seq = models.PositiveIntegerField(_("save number"), default=0)
    # when the server wrote `response`, and when the device says it was given (its own clock,
    # a claim: an answer given offline reaches the server later; the marker compares the two)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    answered_at_device = models.DateTimeField(
        _("answered at (device clock)"), null=True, blank=True
    )
    score = models.FloatField(_("score"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attemptitem_position")
        ]

    def __str__(self) -> str:
        return gettext("%(attempt)s, question %(position)s") % {
            "attempt": self.attempt,
            "position": self.position,
        }


class LateResponse(models.Model):
    """Answers an officer's device held when the attempt closed (the link came back after the
    deadline and the grace), brought as a response file encrypted to the server and bound to
    the attempt (`assessments.late_responses`). The device's clock cannot be trusted: the
    file's device times and the time the server received it are shown to a trainer, who
    accepts (the answers are applied and the attempt re-graded) or rejects it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="late_responses"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # when the device says it made the file (its own clock)
    device_made_at = models.DateTimeField(_("file made at (device clock)"), null=True, blank=True)
    # [{"position", "seq", "device_time" (ISO, device clock, or null), "fields": [[name, value]],
    #   "response" (as the item stores it, null if unreadable), "error" (why it is unreadable)}]
    answers = models.JSONField(_("answers"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # how many answers the acceptance wrote (newer than what the server held)
    applied_count = models.PositiveSmallIntegerField(_("answers applied"), default=0)

    class Meta:
        verbose_name = _("late answers")
        verbose_name_plural = _("late answers")
        ordering = ["-received_at"]
        permissions = [("decide_lateresponse", _("Can accept or reject late answers"))]
        constraints = [
            # the same file brought twice (officer and trainer) is one submission
            models.UniqueConstraint(
                fields=["attempt", "file_sha256"], name="lateresponse_file_once"
            ),
            # one submission waits for a decision per attempt at a time
            models.UniqueConstraint(
                fields=["attempt"],
                condition=models.Q(status="pending"),
                name="lateresponse_single_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False),
                name="lateresponse_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.get_status_display()}"


# --- item statistics (computed in item_statistics.py) ------------------------------------


class ItemStatistic(models.Model):
    class Flag(models.TextChoices):
        TOO_EASY = "too_easy", _("Too easy")
        TOO_HARD = "too_hard", _("Too hard")
        NEGATIVE_DISCRIMINATION = "negative_discrimination", _("Negative discrimination")

    question_version = models.OneToOneField(
        QuestionVersion,
        verbose_name=_("question version"),
        on_delete=models.CASCADE,
        related_name="statistic",
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # mean item score (scores are 0–1, partial credit allowed): the facility index
    facility = models.FloatField(_("facility index"), null=True, blank=True)
    # point-biserial (Pearson) correlation of the item score with the rest-of-test score;
    # null when either side has no variance
    discrimination = models.FloatField(_("discrimination (point-biserial)"), null=True, blank=True)
    # mean item score of the upper 27 % minus that of the lower 27 % (by rest-of-test score)
    upper_lower_index = models.FloatField(_("upper/lower 27% index"), null=True, blank=True)
    # choice types: {"option key": share of attempts that chose it}; {} otherwise
    distractor_rates = models.JSONField(_("option choice rates"), default=dict, blank=True)
    unanswered_rate = models.FloatField(_("unanswered"), null=True, blank=True)
    too_easy = models.BooleanField(_("too easy"), default=False)
    too_hard = models.BooleanField(_("too hard"), default=False)
    negative_discrimination = models.BooleanField(_("negative discrimination"), default=False)
    # any of the three: the report lists these first
    flagged = models.BooleanField(_("flagged"), default=False)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("item statistic")
        verbose_name_plural = _("item statistics")
        indexes = [models.Index(fields=["flagged"], name="itemstatistic_flagged")]
        constraints = [
            # `flagged` is exactly "any of the three flags"
            models.CheckConstraint(
                condition=models.Q(
                    flagged=False, too_easy=False, too_hard=False, negative_discrimination=False
                )
                | (
                    models.Q(flagged=True)
                    & (
                        models.Q(too_easy=True)
                        | models.Q(too_hard=True)
                        | models.Q(negative_discrimination=True)
                    )
                ),
                name="itemstatistic_flagged_is_any_flag",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(version)s: %(attempts)s attempts") % {
            "version": self.question_version,
            "attempts": self.attempts,
        }

    @property
    def flags(self) -> list[str]:
        return [flag for flag in self.Flag.values if getattr(self, flag)]

    def get_flags_display(self) -> list[str]:
        return [str(self.Flag(flag).label) for flag in self.flags]

    @property
    def flags_text(self) -> str:
        return ", ".join(self.get_flags_display())

    @property
    def distractor_rates_text(self) -> str:
        """ "a: 40%, b: 20%" in the option order of the version."""
        return ", ".join(
            f"{key}: {round(100 * share)}%" for key, share in (self.distractor_rates or {}).items()
        )


class ItemStatisticPending(models.Model):
    """A question version drawn in an attempt graded since its statistics were computed."""

    question_version = models.OneToOneField(
        QuestionVersion,
        verbose_name=_("question version"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("pending item statistic")
        verbose_name_plural = _("pending item statistics")

    def __str__(self) -> str:
        return str(self.question_version)
