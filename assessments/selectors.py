"""Reads for exams and attempts, always through the owner so nobody sees another's attempt."""

from dataclasses import dataclass
from datetime import timedelta
from html import unescape as html_unescape
from typing import NamedTuple

import nh3
from django.conf import settings
from django.db.models import Case, Max, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from competencies.models import Competency
from courses.models import CoursePage
from courses.selectors import course_list_for_competencies
from staff.models import StaffRecord

from .grading import matching_choice_text
from .models import (
    REVIEW_POLICY_RANK,
    Attempt,
    AttemptItem,
    BlueprintCell,
    Exam,
    ExamLevelThreshold,
    LateResponse,
    Question,
    ReviewPolicy,
)
from .version_cache import question_version_for_display, question_versions_for_display


def exam_list_for_course(*, course: CoursePage) -> QuerySet[Exam]:
    """The course's published exams, its practice exams first: tried before the real one."""
    practice_first = Case(When(kind=Exam.Kind.PRACTICE, then=Value(0)), default=Value(1))
    return Exam.objects.filter(course=course, published=True).order_by(
        practice_first, "title", "pk"
    )


def exam_get_published(*, exam_id: int) -> Exam:
    try:
        return Exam.objects.select_related("course").get(pk=exam_id, published=True)
    except Exam.DoesNotExist as exc:
        raise Http404 from exc


def attempt_list_for(*, exam: Exam, staff: StaffRecord) -> list[Attempt]:
    return list(Attempt.objects.filter(exam=exam, staff=staff).order_by("-number"))


def attempt_get_own(*, attempt_id: int, user) -> Attempt:
    """The attempt, only if it belongs to the asking user's staff record; else 404."""
    try:
        return Attempt.objects.select_related("exam", "staff").get(
            pk=attempt_id, staff__user=user, staff__active=True
        )
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc


def attempt_items(*, attempt: Attempt) -> list[AttemptItem]:
    return list(attempt.items.select_related("question_version__question"))


def attempt_item_get_own(*, attempt_id: int, position: int, user) -> AttemptItem | None:
    """The item at `position` of the user's own attempt, with its attempt and exam in one query,
    and its question version (with question and `option_html`) from the process's cache of
    immutable versions. None when there is no such item: the caller then tells why, the slow
    way."""
    item = next(
        iter(
            AttemptItem.objects.select_related("attempt__exam")
            .filter(
                attempt_id=attempt_id,
                position=position,
                attempt__staff__user=user,
                attempt__staff__active=True,
            )
            .order_by()[:1]
        ),
        None,
    )
    if item is not None:
        item.question_version = question_version_for_display(item.question_version_id)
    return item


def attempt_items_get_own_open(*, attempt_id: int, user) -> list[AttemptItem]:
    """Every item of the user's own attempt, with its attempt and exam, in one query, and
    their question versions from the process's cache (the missing ones in one more): what
    attempt.js keeps on the device to answer offline. Empty when there is no such attempt."""
    items = list(
        AttemptItem.objects.select_related("attempt__exam")
        .filter(attempt_id=attempt_id, attempt__staff__user=user, attempt__staff__active=True)
        .order_by("position")
    )
    versions = question_versions_for_display([i.question_version_id for i in items])
    for item in items:
        item.question_version = versions[item.question_version_id]
    return items


def attempt_list_open_for(*, staff: StaffRecord) -> list[Attempt]:
    """The staff member's attempts still taking answers (in progress, before the deadline and
    its grace), with their exams, in one query: "continue the exam" after a new sign-in."""
    grace = timedelta(seconds=settings.ATTEMPT_GRACE_SECONDS)
    return list(
        Attempt.objects.filter(
            staff=staff,
            status=Attempt.Status.IN_PROGRESS,
            deadline__gte=timezone.now() - grace,
        )
        .select_related("exam")
        .order_by("deadline")
    )


def attempt_list_for_staff(*, staff: StaffRecord, now=None) -> list[Attempt]:
    """Every attempt of the staff member at any exam, newest first, with its exam, in one
    query whatever their number, each annotated with `late_pending_id` (the late answers
    waiting for a trainer's decision, None when there are none) and `time_up` (still "in
    progress" although the deadline and its grace have passed: it is graded on its next
    access). For HR's page of the staff record: the caller checks the scope."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.ATTEMPT_GRACE_SECONDS)
    attempts = list(
        Attempt.objects.filter(staff=staff)
        .select_related("exam")
        .annotate(
            late_pending_id=Max(
                "late_responses__pk",
                filter=Q(late_responses__status=LateResponse.Status.PENDING),
            )
        )
        .order_by("-started_at", "-pk")
    )
    for attempt in attempts:
        attempt.time_up = (
            attempt.status == Attempt.Status.IN_PROGRESS and attempt.deadline + grace < now
        )
    return attempts


class NavItem(NamedTuple):
    """What a question page needs of each item of its attempt: where it is, whether it is
    answered, the sequence number of its last save."""

    position: int
    saved_seq: int
    response: object


def attempt_items_for_page(*, item: AttemptItem) -> list[NavItem]:
    """The items of `item`'s attempt for one question page, as bare tuples: no item's question,
    options or order is read or decoded (the page shows only `item`'s)."""
    return [
        NavItem(*row)
        for row in AttemptItem.objects.filter(attempt_id=item.attempt_id).values_list(
            "position", "saved_seq", "response"
        )
    ]


def exam_list_for_competencies(*, competency_ids: list[int]) -> dict[int, list[Exam]]:
    """Published certification exams, not closed, whose blueprint draws on each competency
    (competency id → exams), in one query whatever the number of competencies. A practice
    exam records no competency, so it closes no gap."""
    if not competency_ids:
        return {}
    cells = (
        BlueprintCell.objects.filter(
            competency_id__in=competency_ids,
            exam__published=True,
            exam__kind=Exam.Kind.CERTIFICATION,
        )
        .filter(Q(exam__closes_at__isnull=True) | Q(exam__closes_at__gt=timezone.now()))
        .select_related("exam")
        .order_by("exam__kind", "exam__title", "exam_id")
    )
    by_competency: dict[int, list[Exam]] = {}
    for cell in cells:
        exams = by_competency.setdefault(cell.competency_id, [])
        if not exams or exams[-1].pk != cell.exam_id:  # one cell per difficulty
            exams.append(cell.exam)
    return by_competency


def exam_award_ranks_for_competencies(*, competency_ids: list[int]) -> dict[int, int]:
    """For each competency, the highest level rank that passing a published, open
    certification exam covering it can record (competency id → rank). An exam with level
    thresholds awards their levels, one without awards its `awarded_level`. Two queries."""
    open_exams = Q(exam__closes_at__isnull=True) | Q(exam__closes_at__gt=timezone.now())
    cells = (
        BlueprintCell.objects.filter(
            open_exams,
            competency_id__in=competency_ids,
            exam__published=True,
            exam__kind=Exam.Kind.CERTIFICATION,
        )
        .values_list("competency_id", "exam_id", "exam__awarded_level__rank")
        .distinct()
    )
    cells = list(cells)
    threshold_ranks = dict(
        ExamLevelThreshold.objects.filter(exam_id__in={exam_id for _c, exam_id, _r in cells})
        .values("exam_id")
        .annotate(top=Max("level__rank"))
        .values_list("exam_id", "top")
    )
    ranks: dict[int, int] = {}
    for competency_id, exam_id, awarded_rank in cells:
        rank = threshold_ranks.get(exam_id, awarded_rank) or 0
        ranks[competency_id] = max(rank, ranks.get(competency_id, 0))
    return ranks


# --- what an officer may see of a graded attempt ----------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    position: int
    stem: str  # sanitised HTML
    answer: str  # the officer's answer, as plain text
    right: bool | None  # None: the policy does not tell
    correct_answer: str = ""
    feedback: str = ""
    explanation: str = ""  # sanitised HTML
    legal_basis: str = ""


@dataclass(frozen=True)
class AttemptFeedback:
    policy: str
    show_score: bool
    rows: list[ReviewRow]
    # the policy shows more once the exam closes at this time (None: it never will)
    more_after: object = None


def _plain(html: str) -> str:
    # option texts and matching prompts are sanitised HTML; the review shows them as text
    return html_unescape(nh3.clean(str(html or ""), tags=set())).strip()


def _choice_texts(options: list[dict], keys) -> list[str]:
    by_key = {o["key"]: _plain(o["text"]) for o in options}
    return [by_key[k] for k in keys if k in by_key]


def _answer_text(*, qtype: str, version, response, order) -> str:
    if not response:
        return ""
    if qtype in Question.CHOICE_TYPES:
        return "; ".join(_choice_texts(version.options, response))
    if qtype == Question.Type.NUMERIC:
        return f"{response.get('value', '')} {response.get('unit', '')}".strip()
    if qtype == Question.Type.SHORT_TEXT:
        return response.get("text", "")
    if qtype == Question.Type.MATCHING:
        prompts = {p["key"]: _plain(p["prompt"]) for p in version.data.get("pairs", [])}
        parts = []
        for key in order.get("prompts", []):
            chosen = response.get(key)
            if chosen:
                parts.append(
                    f"{prompts.get(key, '')} → {matching_choice_text(version.data, order, chosen)}"
                )
        return "; ".join(parts)
    return ""


def _correct_text(*, qtype: str, version) -> str:
    if qtype in Question.CHOICE_TYPES:
        return "; ".join(_plain(o["text"]) for o in version.options if o.get("correct"))
    data = version.data
    if qtype == Question.Type.NUMERIC:
        best = max(data.get("answers", []), key=lambda a: a.get("fraction", 0), default=None)
        if best is None:
            return ""
        unit = (data.get("units") or [{}])[0].get("unit", "")
        tolerance = f" ± {float(best['tolerance']):g}" if best.get("tolerance") else ""
        return f"{float(best['value']):g}{tolerance} {unit}".strip()
    if qtype == Question.Type.SHORT_TEXT:
        best = max(data.get("answers", []), key=lambda a: a.get("fraction", 0), default=None)
        return best["text"] if best else ""
    if qtype == Question.Type.MATCHING:
        return "; ".join(f"{_plain(p['prompt'])} → {p['answer']}" for p in data.get("pairs", []))
    return ""


def _feedback_text(*, qtype: str, version, response) -> str:
    if qtype in Question.CHOICE_TYPES and response:
        chosen = set(response)
        return " ".join(
            _plain(o["feedback"])
            for o in version.options
            if o["key"] in chosen and o.get("feedback")
        )
    return ""


def attempt_feedback(*, attempt: Attempt, now=None) -> AttemptFeedback:
    """Only what the exam's review policy allows now: nothing of the key leaves the server
    before the policy says so, because it is never put in the page's context."""
    now = now or timezone.now()
    exam = attempt.exam
    policy = exam.review_policy_now(now=now)
    rank = REVIEW_POLICY_RANK[policy]
    more_after = None
    if (
        exam.closes_at
        and now <= exam.closes_at
        and REVIEW_POLICY_RANK[exam.review_after_close] > rank
    ):
        more_after = exam.closes_at
    rows = []
    if rank >= REVIEW_POLICY_RANK[ReviewPolicy.RIGHT_WRONG]:
        full = policy == ReviewPolicy.FULL
        for item in attempt.items.select_related("question_version__question"):
            version = item.question_version
            qtype = version.question.qtype
            rows.append(
                ReviewRow(
                    position=item.position,
                    stem=version.stem,
                    answer=_answer_text(
                        qtype=qtype,
                        version=version,
                        response=item.response,
                        order=item.option_order,
                    ),
                    right=(item.score or 0) >= 1,
                    correct_answer=_correct_text(qtype=qtype, version=version) if full else "",
                    feedback=_feedback_text(qtype=qtype, version=version, response=item.response)
                    if full
                    else "",
                    explanation=version.explanation if full else "",
                    legal_basis=version.question.legal_basis if full else "",
                )
            )
    return AttemptFeedback(
        policy=policy,
        show_score=rank >= REVIEW_POLICY_RANK[ReviewPolicy.SCORE],
        rows=rows,
        more_after=more_after,
    )


# --- what the result page teaches ---------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyOutcome:
    code: str
    name: str
    score: float
    pass_mark: int  # the competency's own pass mark, else the exam's
    weak: bool  # below that pass mark
    level: object = None  # the ProficiencyLevel recorded by a passed certification exam
    courses: tuple = ()  # where a weak competency is taught (live courses)


@dataclass(frozen=True)
class AttemptOutcome:
    competencies: list[CompetencyOutcome]
    attempts_used: int
    attempts_allowed: int
    attempts_left: int
    # when the next attempt may start (the waiting time), None when it may now or never
    next_allowed_at: object = None
    exam_closed: bool = False

    @property
    def weak(self) -> list[CompetencyOutcome]:
        return [c for c in self.competencies if c.weak]


def attempt_outcome(*, attempt: Attempt, now=None) -> AttemptOutcome:
    """Per competency of a graded attempt: its name, score, the level reached and, when weak,
    the courses that teach it; and how many attempts are left and from when. A constant number
    of queries whatever the number of questions or competencies (the callers show it only
    when the review policy shows the score)."""
    from .services import level_reached  # the rule the grading applies, pure

    now = now or timezone.now()
    exam = attempt.exam
    scores = attempt.competency_scores or {}
    by_code = {c.code: c for c in Competency.objects.filter(code__in=list(scores))}
    rules = {
        r.competency.code: r.pass_mark_percent
        for r in exam.competency_rules.select_related("competency")
    }
    records_levels = attempt.passed and exam.kind == Exam.Kind.CERTIFICATION
    thresholds = (
        sorted(
            exam.level_thresholds.select_related("level"),
            key=lambda t: t.min_percent,
            reverse=True,
        )
        if records_levels
        else []
    )
    weak_ids = [
        by_code[code].pk
        for code, score in scores.items()
        if code in by_code and score < rules.get(code, exam.pass_mark_percent)
    ]
    courses = course_list_for_competencies(competency_ids=weak_ids)
    rows = []
    for code, score in sorted(scores.items()):
        competency = by_code.get(code)
        pass_mark = rules.get(code, exam.pass_mark_percent)
        weak = score < pass_mark
        rows.append(
            CompetencyOutcome(
                code=code,
                name=competency.shown_title if competency else code,
                score=score,
                pass_mark=pass_mark,
                weak=weak,
                level=level_reached(exam=exam, score=score, thresholds=thresholds)
                if records_levels
                else None,
                courses=tuple(courses.get(competency.pk, [])) if competency and weak else (),
            )
        )
    graded = list(
        Attempt.objects.filter(exam=exam, staff_id=attempt.staff_id, status=Attempt.Status.GRADED)
        # late answers waiting for a trainer's decision: the attempt is not counted yet
        .exclude(late_responses__status="pending")
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
    )
    left = max(0, exam.max_attempts - len(graded))
    closed = bool(exam.closes_at and now > exam.closes_at)
    next_allowed_at = None
    if left and not closed and exam.cooldown_minutes and graded and graded[0]:
        ready_at = graded[0] + timedelta(minutes=exam.cooldown_minutes)
        next_allowed_at = ready_at if ready_at > now else None
    return AttemptOutcome(
        competencies=rows,
        attempts_used=len(graded),
        attempts_allowed=exam.max_attempts,
        attempts_left=0 if closed else left,
        next_allowed_at=next_allowed_at,
        exam_closed=closed,
    )
