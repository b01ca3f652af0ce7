"""Writes for enrolments and learning progress."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from staff.models import StaffRecord

from .models import CoursePage, Enrolment, LessonPage, LessonProgress
from .selectors import course_is_completed
from .signals import course_completed


@transaction.atomic
def enrolment_enrol(
    *, staff: StaffRecord, course: CoursePage, source: str, due_date: date | None = None
) -> Enrolment:
    """One enrolment per staff and course; enrolling again changes nothing."""
    enrolment, _ = Enrolment.objects.get_or_create(
        staff=staff, course=course, defaults={"source": source, "due_date": due_date}
    )
    return enrolment


@transaction.atomic
def lesson_complete(*, staff: StaffRecord, lesson: LessonPage) -> LessonProgress:
    """Marking a lesson done is idempotent; the last lesson done completes the course."""
    progress, created = LessonProgress.objects.get_or_create(staff=staff, lesson=lesson)
    if not created:
        return progress
    course = CoursePage.objects.parent_of(lesson).get()
    enrolment = enrolment_enrol(staff=staff, course=course, source=Enrolment.Source.SELF)
    if enrolment.completed_at is None and course_is_completed(staff=staff, course=course):
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
        course_completed.send(sender=CoursePage, staff=staff, course=course)
    return progress
