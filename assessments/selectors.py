"""Reads for exams and attempts, always through the owner so nobody sees another's attempt."""

from django.db.models import QuerySet
from django.http import Http404

from courses.models import CoursePage
from staff.models import StaffRecord

from .models import Attempt, AttemptItem, Exam


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
