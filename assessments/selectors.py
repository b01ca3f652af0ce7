"""Reads for exams and attempts, always through the owner so nobody sees another's attempt."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from courses.models import CoursePage
from staff.models import StaffRecord

from .models import Attempt, AttemptItem, BlueprintCell, Exam


def exam_list_for_course(*, course: CoursePage) -> QuerySet[Exam]:
    return Exam.objects.filter(course=course, published=True).order_by("kind", "title")


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


def exam_list_for_competencies(*, competency_ids: list[int]) -> dict[int, list[Exam]]:
    """Published exams, not closed, whose blueprint draws on each competency (competency id →
    exams), in one query whatever the number of competencies."""
    if not competency_ids:
        return {}
    cells = (
        BlueprintCell.objects.filter(competency_id__in=competency_ids, exam__published=True)
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
