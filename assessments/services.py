"""The attempt engine and question bank writes. The server owns time and grading."""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import nh3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies.models import CompetencyRecord
from competencies.services import competency_record_create
from courses.selectors import course_is_completed
from staff.models import StaffRecord

from .grading import item_score, response_is_valid, scores_by_competency
from .models import Attempt, AttemptItem, BlueprintCell, Exam, Question, QuestionVersion
from .signals import attempt_graded


class AssessmentError(Exception):
    """A refusal with a message the officer can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- question bank ---------------------------------------------------------------------------


@transaction.atomic
def question_version_create(
    *, question: Question, stem: str, options: list[dict], explanation: str = ""
) -> QuestionVersion:
    """Editing a question never changes an existing version: it adds the next one."""
    last = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = QuestionVersion.objects.create(
        question=question,
        number=last + 1,
        # stems are shown as HTML to learners: only harmless markup survives
        stem=nh3.clean(stem),
        options=options,  # plain text, escaped when rendered
        explanation=nh3.clean(explanation),
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    return version


def blueprint_shortfalls(*, exam: Exam) -> list[tuple[BlueprintCell, int]]:
    """Cells for which the bank has fewer approved questions than the blueprint asks."""
    shortfalls = []
    for cell in exam.blueprint.select_related("competency"):
        available = Question.objects.filter(
            competency=cell.competency,
            difficulty=cell.difficulty,
            status=Question.Status.APPROVED,
            current_version__isnull=False,
        ).count()
        if available < cell.count:
            shortfalls.append((cell, available))
    return shortfalls


@transaction.atomic
def exam_publish(*, exam: Exam) -> Exam:
    """An exam is published only when the bank can fill every blueprint cell."""
    if not exam.blueprint.exists():
        raise AssessmentError(_("The exam has no blueprint yet."))
    shortfalls = blueprint_shortfalls(exam=exam)
    if shortfalls:
        raise AssessmentError(
            _("Not enough questions in the bank: ")
            + "; ".join(
                _("%(code)s / %(difficulty)s needs %(needed)d, has %(available)d")
                % {
                    "code": cell.competency.code,
                    "difficulty": cell.get_difficulty_display(),
                    "needed": cell.count,
                    "available": available,
                }
                for cell, available in shortfalls
            )
        )
    exam.published = True
    exam.save(update_fields=["published"])
    return exam


# --- starting ----------------------------------------------------------------------------------


def _check_can_start(*, exam: Exam, staff: StaffRecord, previous: list[Attempt], now) -> None:
    if not exam.published:
        raise AssessmentError(_("The exam has not been published."))
    if exam.opens_at and now < exam.opens_at:
        raise AssessmentError(_("The exam is not open yet."))
    if exam.closes_at and now > exam.closes_at:
        raise AssessmentError(_("The exam is closed."))
    if len(previous) >= exam.max_attempts:
        raise AssessmentError(_("You have used all the attempts allowed."))
    if previous and exam.cooldown_minutes:
        ready_at = previous[0].submitted_at + timedelta(minutes=exam.cooldown_minutes)
        if now < ready_at:
            raise AssessmentError(
                _("You can retake the exam after %(time)s.")
                % {"time": timezone.localtime(ready_at).strftime("%H:%M %d/%m/%Y")}
            )
    if (
        exam.course_id
        and exam.requires_course_completion
        and not course_is_completed(staff=staff, course=exam.course)
    ):
        raise AssessmentError(_("You need to complete the course before taking the exam."))


def _draw_questions(*, exam: Exam, rng: random.Random) -> list[Question]:
    """Questions drawn per blueprint cell, each with its current version loaded."""
    cells = list(exam.blueprint.all())
    pool_filter = Q(pk__in=[])
    for cell in cells:
        pool_filter |= Q(competency_id=cell.competency_id, difficulty=cell.difficulty)
    pool: dict[tuple[int, str], list[Question]] = {}
    for question in (
        Question.objects.filter(pool_filter, status=Question.Status.APPROVED)
        .exclude(current_version=None)
        .select_related("current_version")
        .only("id", "qtype", "competency_id", "difficulty", "current_version")
    ):
        pool.setdefault((question.competency_id, question.difficulty), []).append(question)
    drawn = []
    for cell in cells:
        candidates = pool.get((cell.competency_id, cell.difficulty), [])
        if len(candidates) < cell.count:
            raise AssessmentError(
                _("The question bank cannot fill this exam. Please tell your trainer.")
            )
        drawn.extend(rng.sample(candidates, cell.count))
    if exam.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


@transaction.atomic
def attempt_start(*, exam: Exam, staff: StaffRecord) -> Attempt:
    """Start a new attempt, or return the one already open: starting twice opens one."""
    open_attempt = Attempt.objects.filter(
        exam=exam, staff=staff, status=Attempt.Status.IN_PROGRESS
    ).first()
    if open_attempt is not None:
        return attempt_close_if_overdue(attempt=open_attempt)
    now = timezone.now()
    previous = list(
        Attempt.objects.filter(exam=exam, staff=staff)
        .order_by("-number")
        .only("number", "submitted_at")
    )
    _check_can_start(exam=exam, staff=staff, previous=previous, now=now)
    rng = random.SystemRandom()
    questions = _draw_questions(exam=exam, rng=rng)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                exam=exam,
                staff=staff,
                number=(previous[0].number if previous else 0) + 1,
                started_at=now,
                deadline=now + timedelta(minutes=exam.time_limit_minutes),
            )
    except IntegrityError:
        # a concurrent "start" won: use its attempt
        return Attempt.objects.get(exam=exam, staff=staff, status=Attempt.Status.IN_PROGRESS)
    items = []
    for position, question in enumerate(questions, start=1):
        version = question.current_version
        keys = [o["key"] for o in version.options]
        if exam.shuffle_options and question.qtype != Question.Type.TRUE_FALSE:
            rng.shuffle(keys)
        items.append(
            AttemptItem(
                attempt=attempt, position=position, question_version=version, option_order=keys
            )
        )
    AttemptItem.objects.bulk_create(items)
    return attempt


# --- answering -----------------------------------------------------------------------------


class SaveOutcome:
    SAVED = "saved"
    REPEATED = "repeated"  # the same save arrived again: nothing changed


@dataclass(frozen=True)
class SaveResult:
    outcome: str
    seq: int


def attempt_accepts_answers(*, attempt: Attempt, now=None) -> bool:
    now = now or timezone.now()
    grace = timedelta(seconds=settings.ATTEMPT_GRACE_SECONDS)
    return attempt.status == Attempt.Status.IN_PROGRESS and now <= attempt.deadline + grace


def attempt_save_answer(
    *, attempt: Attempt, item: AttemptItem, response: list[str], seq: int
) -> SaveResult:
    """One conditional write: a newer sequence number replaces the answer, the same one is a
    harmless repeat, an older one is refused and overwrites nothing."""
    if not attempt_accepts_answers(attempt=attempt):
        raise AssessmentError(_("Time is up. This answer was not saved."))
    version = item.question_version
    if not response_is_valid(
        qtype=version.question.qtype, options=version.options, response=response
    ):
        raise AssessmentError(_("Invalid answer."))
    updated = AttemptItem.objects.filter(
        pk=item.pk, saved_seq__lt=seq, attempt__status=Attempt.Status.IN_PROGRESS
    ).update(response=response, saved_seq=seq)
    if updated:
        return SaveResult(SaveOutcome.SAVED, seq)
    current = AttemptItem.objects.only("saved_seq", "response").get(pk=item.pk)
    if current.saved_seq == seq and current.response == response:
        return SaveResult(SaveOutcome.REPEATED, seq)
    raise AssessmentError(_("This answer is older than the saved one, so it was not written."))


# --- grading -------------------------------------------------------------------------------


def _grade(attempt: Attempt, *, key: str, now) -> Attempt:
    items = list(attempt.items.select_related("question_version__question__competency"))
    scored = []
    for item in items:
        question = item.question_version.question
        item.score = item_score(
            qtype=question.qtype, options=item.question_version.options, response=item.response
        )
        scored.append((question.competency.code, item.score))
    AttemptItem.objects.bulk_update(items, ["score"])
    exam = attempt.exam
    total = sum(s for _, s in scored)
    attempt.score_percent = (
        Decimal(100 * total / len(scored)).quantize(Decimal("0.01")) if scored else Decimal(0)
    )
    attempt.competency_scores = scores_by_competency(scored)
    attempt.passed = attempt.score_percent >= exam.pass_mark_percent
    attempt.status = Attempt.Status.GRADED
    attempt.submitted_at = now
    attempt.submit_key = key
    attempt.save(
        update_fields=[
            "score_percent",
            "competency_scores",
            "passed",
            "status",
            "submitted_at",
            "submit_key",
        ]
    )
    if attempt.passed and exam.kind == Exam.Kind.CERTIFICATION:
        competencies = {i.question_version.question.competency for i in items}
        for competency in competencies:
            if attempt.competency_scores[competency.code] >= exam.pass_mark_percent:
                competency_record_create(
                    staff=attempt.staff,
                    competency=competency,
                    level=exam.awarded_level,
                    source=CompetencyRecord.Source.EXAM,
                    evidence_ref=f"attempt:{attempt.pk}",
                    assessed_on=timezone.localdate(now),
                )
    attempt_graded.send(sender=Attempt, attempt=attempt)
    return attempt


@transaction.atomic
def attempt_submit(*, attempt: Attempt, idempotency_key: str) -> Attempt:
    """Grade once. A repeated or concurrent submit returns the graded attempt unchanged."""
    locked = (
        Attempt.objects.select_for_update()
        .select_related("exam__awarded_level", "staff__position")
        .get(pk=attempt.pk)
    )
    if locked.status != Attempt.Status.IN_PROGRESS:
        return locked
    return _grade(locked, key=idempotency_key[:64], now=timezone.now())


def attempt_close_if_overdue(*, attempt: Attempt) -> Attempt:
    """An open attempt past its deadline (and grace) is graded with what was saved."""
    if attempt.status == Attempt.Status.IN_PROGRESS and not attempt_accepts_answers(
        attempt=attempt
    ):
        return attempt_submit(attempt=attempt, idempotency_key="deadline")
    return attempt


def attempts_close_overdue() -> int:
    """Periodic job: close every attempt whose deadline has passed. Safe to run twice."""
    cutoff = timezone.now() - timedelta(seconds=settings.ATTEMPT_GRACE_SECONDS)
    closed = 0
    for attempt in Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=cutoff):
        attempt_submit(attempt=attempt, idempotency_key="deadline")
        closed += 1
    return closed
