"""Writes for enrolments and learning progress."""

from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from staff.models import StaffRecord
from staff.roles import (
    ROLE_GROUP_NAMES,
    TRAINER_COLLECTION_PERMISSIONS,
    TRAINER_PAGE_PERMISSIONS,
    Role,
)

from .models import CourseIndexPage, CoursePage, Enrolment, LessonPage, LessonProgress
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


@transaction.atomic
def course_catalogue_grant_trainers(*, index: CourseIndexPage) -> None:
    """Trainers author, publish and lock pages under the catalogue and add images and documents
    to the root collection. Granting twice changes nothing."""
    group = Group.objects.get(name=ROLE_GROUP_NAMES[Role.TRAINER])
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=TRAINER_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    root = Collection.get_first_root_node()
    for label in TRAINER_COLLECTION_PERMISSIONS:
        app_label, codename = label.split(".")
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )
