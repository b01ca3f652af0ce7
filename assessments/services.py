"""The attempt engine and question bank writes. The server owns time and grading."""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Subquery, Value
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from competencies.models import CompetencyRecord
from competencies.services import competency_record_create
from courses.selectors import course_completed_by
from staff.models import StaffRecord

from .bank_payload import PayloadError, payload_clean
from .grading import item_score, matching_answer_texts, response_is_valid, scores_by_competency
from .interchange.richtext import drop_external_images
from .models import (
    Attempt,
    AttemptItem,
    BlueprintCell,
    Exam,
    LateResponse,
    Question,
    QuestionVersion,
    level_thresholds_problems,
)
from .signals import attempt_graded


class AssessmentError(Exception):
    """A refusal with a message the officer can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AttemptClosedError(AssessmentError):
    """The attempt takes no more answers: time (and grace) is up, or it was submitted."""


class StaleSaveError(AssessmentError):
    """A save older than the one already stored: nothing was written. `seq` is the stored one."""

    def __init__(self, message: str, *, seq: int):
        super().__init__(message)
        self.seq = seq


class SequenceAheadError(AssessmentError):
    """A save numbered further ahead than any client could have counted (SEQ_WINDOW past the
    attempt's highest saved number): nothing was written. `seq` is that highest number, for
    the client to number on from."""

    def __init__(self, message: str, *, seq: int):
        super().__init__(message)
        self.seq = seq


# --- question bank ---------------------------------------------------------------------------

# the review workflow: action → (statuses it starts from, status it ends in, permission needed,
# whether the author of the version may do it)
QUESTION_TRANSITIONS = {
    "review": ({Question.Status.DRAFT}, Question.Status.REVIEWED, "review_question", False),
    "approve": ({Question.Status.REVIEWED}, Question.Status.APPROVED, "approve_question", False),
    "return_to_draft": (
        {Question.Status.REVIEWED},
        Question.Status.DRAFT,
        "review_question",
        True,
    ),
    "retire": (
        {Question.Status.DRAFT, Question.Status.REVIEWED, Question.Status.APPROVED},
        Question.Status.RETIRED,
        "approve_question",
        True,
    ),
}
LOG_ACTION_PREFIX = "assessments.question."


def _clean_payload(*, qtype: str, options, data) -> tuple[list[dict], dict]:
    try:
        return payload_clean(qtype=qtype, options=options, data=data)
    except PayloadError as error:
        raise AssessmentError("; ".join(error.messages)) from error


def _sanitise(html: str) -> str:
    # stems and explanations are shown as HTML: only harmless markup survives, and no image
    # from another host (a tracking pixel would report who opens the question, and when)
    return drop_external_images(nh3.clean(html or "")).strip()


@transaction.atomic
def question_version_create(
    *,
    question: Question,
    stem: str,
    options: list[dict] | None = None,
    data: dict | None = None,
    explanation: str = "",
    author=None,
) -> QuestionVersion:
    """Editing a question never changes an existing version: it adds the next one. A new
    version of a question that has one already is a draft until reviewed and approved again;
    meanwhile exams keep drawing the last approved version."""
    options, data = _clean_payload(qtype=question.qtype, options=options, data=data)
    stem = _sanitise(stem)
    if not nh3.clean(stem, tags=set()).strip() and "<img" not in stem:
        raise AssessmentError(_("The question text is empty."))
    last = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = QuestionVersion.objects.create(
        question=question,
        number=last + 1,
        stem=stem,
        options=options,  # plain text, escaped when rendered
        data=data,
        explanation=_sanitise(explanation),
        created_by=author,
    )
    question.current_version = version
    fields = ["current_version"]
    if last:
        question.status = Question.Status.DRAFT
        fields.append("status")
    elif question.status == Question.Status.APPROVED:
        # a bank loaded as approved (seed data, a trusted import) is drawn from the start
        question.approved_version = version
        fields.append("approved_version")
    question.save(update_fields=fields)
    log(
        question,
        LOG_ACTION_PREFIX + "version",
        user=author,
        data={"version": version.number},
    )
    return version


@transaction.atomic
def question_create(
    *,
    name: str,
    qtype: str,
    competency,
    difficulty: str,
    stem: str,
    options: list[dict] | None = None,
    data: dict | None = None,
    explanation: str = "",
    author=None,
    tags: list[str] | tuple[str, ...] = (),
    legal_document: str = "",
    legal_article: str = "",
    legal_effective_date=None,
) -> Question:
    """A new question is a draft with its first version, written by `author`."""
    question = Question(
        name=name.strip(),
        qtype=qtype,
        competency=competency,
        difficulty=difficulty,
        status=Question.Status.DRAFT,
        legal_document=legal_document.strip(),
        legal_article=legal_article.strip(),
        legal_effective_date=legal_effective_date,
    )
    try:
        question.full_clean(exclude=["current_version", "approved_version", "tags"])
    except ValidationError as error:
        raise AssessmentError(
            "; ".join(m for messages in error.message_dict.values() for m in messages)
        ) from error
    question.save()
    if tags:
        question.tags.set(list(tags))
    question_version_create(
        question=question,
        stem=stem,
        options=options,
        data=data,
        explanation=explanation,
        author=author,
    )
    return question


def _version_content(version: QuestionVersion | None) -> tuple | None:
    if version is None:
        return None
    return (version.stem, version.options, version.data, version.explanation)


@transaction.atomic
def question_update(
    *,
    question: Question,
    stem: str,
    options: list[dict] | None = None,
    data: dict | None = None,
    explanation: str = "",
    author=None,
) -> QuestionVersion | None:
    """Saves the question's metadata (name, competency, difficulty, legal basis, tags — the
    caller set them on `question`) and adds a version only when the text, key or explanation
    changed; returns the new version, or None when the content is unchanged."""
    question.save()
    clean_options, clean_data = _clean_payload(qtype=question.qtype, options=options, data=data)
    current = question.current_version
    proposed = (_sanitise(stem), clean_options, clean_data, _sanitise(explanation))
    if current is not None and _version_content(current) == proposed:
        return None
    return question_version_create(
        question=question,
        stem=stem,
        options=options,
        data=data,
        explanation=explanation,
        author=author,
    )


def question_transition_refusal(*, question: Question, action: str, user) -> str | None:
    """Why `user` may not apply `action` to `question` now, or None if they may."""
    starts, _end, permission, author_may = QUESTION_TRANSITIONS[action]
    if not user.has_perm(f"assessments.{permission}"):
        return _("You do not have permission to do this.")
    if question.status not in starts:
        return _("This cannot be done to a question that is %(status)s.") % {
            "status": question.get_status_display().lower()
        }
    if question.current_version_id is None:
        return _("The question has no text yet.")
    if not author_may and question.current_version.created_by_id == user.pk:
        return _(
            "You wrote this version of the question, so someone else must review and approve it."
        )
    if (
        action == "approve"
        and settings.QUESTION_APPROVAL_REQUIRES_DIFFERENT_REVIEWER
        and _question_reviewer_id(question) == user.pk
    ):
        return _("You reviewed this version of the question, so someone else must approve it.")
    return None


def _question_reviewer_id(question: Question) -> int | None:
    """Who moved the question to "reviewed" last (the audit log's latest review entry)."""
    return (
        ModelLogEntry.objects.filter(
            content_type__app_label=Question._meta.app_label,
            content_type__model=Question._meta.model_name,
            object_id=str(question.pk),
            action=LOG_ACTION_PREFIX + "review",
        )
        .order_by("-timestamp", "-pk")
        .values_list("user_id", flat=True)
        .first()
    )


@transaction.atomic
def question_transition(
    *, question: Question, action: str, user, version_number: int | None = None, comment=""
) -> Question:
    """Move a question along draft → reviewed → approved (or back to draft, or retired),
    recording who and when in the audit log. Nobody reviews or approves their own version;
    approving makes the current version the one exams draw; retiring stops all drawing."""
    if action not in QUESTION_TRANSITIONS:
        raise AssessmentError(_("Unknown action."))
    locked = (
        # PostgreSQL cannot lock the nullable side of the join: lock the question row only
        Question.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=question.pk)
    )
    if version_number is not None and locked.current_version.number != version_number:
        raise AssessmentError(
            _("The question was edited since you opened it. Check the new version first.")
        )
    refusal = question_transition_refusal(question=locked, action=action, user=user)
    if refusal:
        raise AssessmentError(refusal)
    before = locked.status
    locked.status = QUESTION_TRANSITIONS[action][1]
    if action == "approve":
        locked.approved_version = locked.current_version
    elif action == "retire":
        locked.approved_version = None
    locked.save(update_fields=["status", "approved_version"])
    log(
        locked,
        LOG_ACTION_PREFIX + action,
        user=user,
        data={
            "version": locked.current_version.number,
            "from": before,
            "to": locked.status,
            "comment": comment[:1000],
        },
    )
    return locked


def blueprint_shortfalls(*, exam: Exam) -> list[tuple[BlueprintCell, int]]:
    """Cells for which the bank has fewer approved questions than the blueprint asks."""
    shortfalls = []
    for cell in exam.blueprint.select_related("competency"):
        available = Question.objects.filter(
            competency=cell.competency,
            difficulty=cell.difficulty,
            approved_version__isnull=False,
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
    problems = exam_rules_problems(exam=exam)
    if problems:
        raise AssessmentError(" ".join(problems))
    exam.published = True
    exam.save(update_fields=["published"])
    return exam


def exam_rules_problems(*, exam: Exam) -> list[str]:
    """Why the exam's rules cannot stand together (window, review policy, thresholds, pass
    marks per competency the blueprint does not draw on)."""
    problems = []
    try:
        exam.clean()
    except ValidationError as error:
        problems += [m for messages in error.message_dict.values() for m in messages]
    thresholds = [(t.level.rank, t.min_percent) for t in exam.level_thresholds.all()]
    problems += [str(p) for p in level_thresholds_problems(thresholds)]
    drawn = {cell.competency_id for cell in exam.blueprint.all()}
    for rule in exam.competency_rules.select_related("competency"):
        if rule.competency_id not in drawn:
            problems.append(
                _("A pass mark is set for %(code)s, which the blueprint does not draw on.")
                % {"code": rule.competency.code}
            )
    return problems


# --- starting ----------------------------------------------------------------------------------


def exam_waits_for_course(*, exam: Exam) -> bool:
    """A certification exam tied to a course may wait until the officer completes it; a
    practice exam never does: it is there to try while learning, before the real one."""
    return bool(
        exam.kind == Exam.Kind.CERTIFICATION and exam.course_id and exam.requires_course_completion
    )


def exam_eligibility_refusal(*, exam: Exam, staff: StaffRecord) -> str | None:
    """Why the staff member's position may not take the exam, or None if it may."""
    allowed = [p.pk for p in exam.eligible_positions.all()]
    if allowed and staff.position_id not in allowed:
        return _(
            "This exam is only for the positions it was set for; yours is not one of them. "
            "Please contact your HR officer."
        )
    return None


def attempts_awaiting_late_decision(*, attempts: list[Attempt]) -> set[int]:
    """Ids of the attempts among `attempts` with late answers waiting for a decision (one
    query, none when there are no attempts)."""
    if not attempts:
        return set()
    return set(
        LateResponse.objects.filter(
            attempt_id__in=[a.pk for a in attempts], status=LateResponse.Status.PENDING
        ).values_list("attempt_id", flat=True)
    )


def _check_can_start(*, exam: Exam, staff: StaffRecord, previous: list[Attempt], now) -> None:
    if not exam.published:
        raise AssessmentError(_("The exam has not been published."))
    if exam.opens_at and now < exam.opens_at:
        raise AssessmentError(_("The exam is not open yet."))
    if exam.closes_at and now > exam.closes_at:
        raise AssessmentError(_("The exam is closed."))
    # an attempt whose late answers wait for a trainer's decision is not counted yet (neither
    # for the limit nor for the waiting time), and no new attempt starts meanwhile
    waiting = attempts_awaiting_late_decision(attempts=previous)
    if waiting:
        raise AssessmentError(
            _(
                "Your late answers to attempt %(n)d are waiting for a trainer's decision. "
                "You can start again once it is decided."
            )
            % {"n": min(a.number for a in previous if a.pk in waiting)}
        )
    previous = [a for a in previous if a.pk not in waiting]
    if len(previous) >= exam.max_attempts:
        raise AssessmentError(_("You have used all the attempts allowed."))
    if previous and exam.cooldown_minutes:
        ready_at = previous[0].submitted_at + timedelta(minutes=exam.cooldown_minutes)
        if now < ready_at:
            raise AssessmentError(
                _("You can retake the exam after %(time)s.")
                % {"time": timezone.localtime(ready_at).strftime("%H:%M %d/%m/%Y")}
            )
    refusal = exam_eligibility_refusal(exam=exam, staff=staff)
    if refusal:
        raise AssessmentError(refusal)
    if exam_waits_for_course(exam=exam) and not course_completed_by(
        staff=staff, course_id=exam.course_id
    ):
        raise AssessmentError(_("You need to complete the course before taking the exam."))


def exam_start_refusal(
    *, exam: Exam, staff: StaffRecord, attempts: list[Attempt], now=None
) -> str | None:
    """Why the staff member may not start a new attempt now (what attempt_start would say:
    not open, closed, attempts used up, the waiting time with the next allowed time, the
    course not finished, the position), or None. `attempts`: theirs at this exam, newest
    first; an attempt in progress is continued, not started, so it is left out here."""
    previous = [a for a in attempts if a.status != Attempt.Status.IN_PROGRESS]
    try:
        _check_can_start(exam=exam, staff=staff, previous=previous, now=now or timezone.now())
    except AssessmentError as error:
        return error.message
    return None


def _draw_questions(*, exam: Exam, rng: random.Random) -> list[Question]:
    """Questions drawn per blueprint cell, each with its approved version loaded: a newer
    version under review is never drawn, and retired questions have none."""
    cells = list(exam.blueprint.all())
    pool_filter = Q(pk__in=[])
    for cell in cells:
        pool_filter |= Q(competency_id=cell.competency_id, difficulty=cell.difficulty)
    pool: dict[tuple[int, str], list[Question]] = {}
    for question in (
        Question.objects.filter(pool_filter, approved_version__isnull=False)
        .select_related("approved_version")
        .only("id", "qtype", "competency_id", "difficulty", "approved_version")
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


def _presentation_order(*, qtype: str, version: QuestionVersion, shuffle: bool, rng):
    """What the officer sees, in which order (stored on the item, see AttemptItem)."""
    if qtype in Question.CHOICE_TYPES:
        keys = [o["key"] for o in version.options]
        if shuffle and qtype != Question.Type.TRUE_FALSE:
            rng.shuffle(keys)
        return keys
    if qtype == Question.Type.MATCHING:
        prompts = [p["key"] for p in version.data["pairs"]]
        if shuffle:
            rng.shuffle(prompts)
        # answers are always shuffled: in the bank's order they would line up with the prompts
        answers = list(range(len(matching_answer_texts(version.data))))
        rng.shuffle(answers)
        return {"prompts": prompts, "answers": answers}
    return []


@transaction.atomic
def attempt_start(*, exam: Exam, staff: StaffRecord) -> Attempt:
    """Start a new attempt, or return the one already open: starting twice opens one."""
    # one read answers both "is one open?" and "how many before, and when?"
    previous = list(Attempt.objects.filter(exam=exam, staff=staff).order_by("-number"))
    open_attempt = next((a for a in previous if a.status == Attempt.Status.IN_PROGRESS), None)
    if open_attempt is not None:
        return attempt_close_if_overdue(attempt=open_attempt)
    now = timezone.now()
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
                question_count=len(questions),
            )
    except IntegrityError:
        # a concurrent "start" won: use its attempt
        return Attempt.objects.get(exam=exam, staff=staff, status=Attempt.Status.IN_PROGRESS)
    items = []
    for position, question in enumerate(questions, start=1):
        version = question.approved_version
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                question_version=version,
                option_order=_presentation_order(
                    qtype=question.qtype, version=version, shuffle=exam.shuffle_options, rng=rng
                ),
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


# How far past the attempt's highest saved sequence number a save may be numbered. A client
# numbers each change of any answer (attempt.js: one counter per attempt), so a device that
# was offline for the whole exam sends at most a few thousand numbers ahead; a forged
# 2147483647 would otherwise freeze the answer (no later save could be numbered higher).
SEQ_WINDOW = 10_000


def _seq_within_window(*, attempt_id: int, seq: int) -> LessThanOrEqual:
    highest = (
        AttemptItem.objects.filter(attempt_id=attempt_id)
        .order_by()
        .values("attempt_id")
        .annotate(highest=Max("saved_seq"))
        .values("highest")[:1]
    )
    return LessThanOrEqual(Value(seq), Subquery(highest) + SEQ_WINDOW)


def attempt_save_answer(
    *, attempt: Attempt, item: AttemptItem, response, seq: int, device_time=None
) -> SaveResult:
    """One conditional write: a newer sequence number replaces the answer, the same one is a
    harmless repeat, an older one is refused and overwrites nothing, and one more than
    SEQ_WINDOW past the attempt's highest saved number is refused as impossible."""
    now = timezone.now()
    if not attempt_accepts_answers(attempt=attempt, now=now):
        raise AttemptClosedError(_("Time is up. This answer was not saved."))
    version = item.question_version
    if not response_is_valid(
        qtype=version.question.qtype,
        options=version.options,
        response=response,
        data=version.data,
        order=item.option_order,
    ):
        raise AssessmentError(_("Invalid answer."))
    # the status and the deadline are part of the one write: a submit or the deadline that
    # lands between the check above and this update still wins
    updated = (
        AttemptItem.objects.filter(
            pk=item.pk,
            saved_seq__lt=seq,
            attempt__status=Attempt.Status.IN_PROGRESS,
            attempt__deadline__gte=now - timedelta(seconds=settings.ATTEMPT_GRACE_SECONDS),
        )
        .filter(_seq_within_window(attempt_id=item.attempt_id, seq=seq))
        .update(response=response, saved_seq=seq, saved_at=now, answered_at_device=device_time)
    )
    if updated:
        return SaveResult(SaveOutcome.SAVED, seq)
    current = AttemptItem.objects.only("saved_seq", "response").get(pk=item.pk)
    if current.saved_seq == seq and current.response == response:
        return SaveResult(SaveOutcome.REPEATED, seq)
    if current.saved_seq < seq:
        highest = AttemptItem.objects.filter(attempt_id=item.attempt_id).aggregate(
            highest=Max("saved_seq")
        )["highest"]
        if seq > (highest or 0) + SEQ_WINDOW:
            raise SequenceAheadError(
                _(
                    "This answer was numbered out of order, so it was not written. "
                    "Please save it again."
                ),
                seq=highest or 0,
            )
        raise AttemptClosedError(_("The attempt is closed. This answer was not saved."))
    raise StaleSaveError(
        _("This answer is older than the saved one, so it was not written."),
        seq=current.saved_seq,
    )


# --- grading -------------------------------------------------------------------------------


def competency_marks_missed(*, exam: Exam, scores: dict[str, float]) -> list[tuple[str, int]]:
    """(competency code, pass mark) of each per-competency pass mark the scores fall short of;
    a competency the attempt did not draw scores 0."""
    return [
        (rule.competency.code, rule.pass_mark_percent)
        for rule in exam.competency_rules.select_related("competency")
        if scores.get(rule.competency.code, 0) < rule.pass_mark_percent
    ]


def level_reached(*, exam: Exam, score: float, thresholds: list | None = None):
    """The proficiency level a competency score earns on a passed exam: the highest threshold
    reached, or, without thresholds, `awarded_level` from the pass mark up; None below."""
    if thresholds is None:
        thresholds = sorted(
            exam.level_thresholds.select_related("level"),
            key=lambda t: t.min_percent,
            reverse=True,
        )
    if not thresholds:
        return exam.awarded_level if score >= exam.pass_mark_percent else None
    for threshold in thresholds:
        if score >= threshold.min_percent:
            return threshold.level
    return None


def _grade(attempt: Attempt, *, key: str, now) -> Attempt:
    items = list(attempt.items.select_related("question_version__question__competency"))
    scored = []
    for item in items:
        question = item.question_version.question
        item.score = item_score(
            qtype=question.qtype,
            options=item.question_version.options,
            response=item.response,
            data=item.question_version.data,
            order=item.option_order,
        )
        scored.append((question.competency.code, item.score))
    AttemptItem.objects.bulk_update(items, ["score"])
    exam = attempt.exam
    total = sum(s for _, s in scored)
    attempt.score_percent = (
        Decimal(100 * total / len(scored)).quantize(Decimal("0.01")) if scored else Decimal(0)
    )
    attempt.competency_scores = scores_by_competency(scored)
    attempt.passed = attempt.score_percent >= exam.pass_mark_percent and not (
        competency_marks_missed(exam=exam, scores=attempt.competency_scores)
    )
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
        thresholds = sorted(
            exam.level_thresholds.select_related("level"),
            key=lambda t: t.min_percent,
            reverse=True,
        )
        for competency in sorted(competencies, key=lambda c: c.code):
            level = level_reached(
                exam=exam, score=attempt.competency_scores[competency.code], thresholds=thresholds
            )
            if level is not None:
                competency_record_create(
                    staff=attempt.staff,
                    competency=competency,
                    level=level,
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


@transaction.atomic
def attempt_regrade(*, attempt: Attempt) -> Attempt:
    """Grade a graded attempt again from its items' current answers (after late answers were
    accepted); its submission time and key stay. The grading triggers are idempotent: a
    competency record per (competency, attempt), a certificate per basis, a statistics mark."""
    locked = (
        Attempt.objects.select_for_update()
        .select_related("exam__awarded_level", "staff__position")
        .get(pk=attempt.pk)
    )
    if locked.status != Attempt.Status.GRADED:
        raise AssessmentError(_("Only a graded attempt can be graded again."))
    return _grade(locked, key=locked.submit_key, now=locked.submitted_at)


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
