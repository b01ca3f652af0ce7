"""Writes for enrolments and learning progress."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from competencies.selectors import Status, requirement_statuses_for_staff
from staff.models import OrgUnit, Position, StaffRecord
from staff.roles import (
    ROLE_GROUP_NAMES,
    TRAINER_COLLECTION_PERMISSIONS,
    TRAINER_PAGE_PERMISSIONS,
    Role,
)
from staff.selectors import staff_list_in_scope

from .models import CourseIndexPage, CoursePage, Enrolment, LessonPage, LessonProgress
from .selectors import course_is_completed, course_list_for_competencies
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


# --- assignment by HR and automatic enrolment from gaps -----------------------------------------


@dataclass(frozen=True)
class AssignResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # named staff (by id or personnel number) that are unknown, out of service or outside the
    # assigning user's scope: the three are not told apart, so nothing leaks across provinces
    out_of_scope: int = 0

    @property
    def assigned(self) -> int:
        return self.created + self.updated + self.unchanged


def _clean_numbers(numbers: Iterable[str] | None) -> set[str]:
    return {n.strip() for n in numbers or () if n and n.strip()}


@transaction.atomic
def enrolments_assign(
    *,
    course: CoursePage,
    by,
    due_date: date,
    staff_ids: Iterable[int] | None = None,
    personnel_numbers: Iterable[str] | None = None,
    position: Position | None = None,
    org_unit: OrgUnit | None = None,
) -> AssignResult:
    """HR assigns a live course with a due date to active staff inside their own scope: the
    named staff, plus everyone holding the position and/or working in the unit's subtree (both
    given: that position in that subtree); an unfinished enrolment takes the new due date and
    becomes an assignment, a finished one is left alone."""
    if due_date is None:
        raise ValidationError({"due_date": _("Enter a due date.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    if not CoursePage.objects.live().filter(pk=course.pk).exists():
        raise ValidationError({"course": _("This course is not published.")})

    ids = {int(x) for x in staff_ids or ()}
    numbers = _clean_numbers(personnel_numbers)
    scope = staff_list_in_scope(user=by).filter(active=True)
    wanted = Q(pk__in=[])
    if ids:
        wanted |= Q(pk__in=ids)
    if numbers:
        wanted |= Q(personnel_number__in=numbers)
    if position is not None or org_unit is not None:
        group = Q()
        if position is not None:
            group &= Q(position=position)
        if org_unit is not None:
            group &= Q(org_unit__path__startswith=org_unit.path)
        wanted |= group
    targets_qs = scope.filter(wanted).order_by()
    targets = list(targets_qs.values_list("pk", "personnel_number").distinct())
    found_ids = {pk for pk, _number in targets}
    found_numbers = {number for _pk, number in targets}
    out_of_scope = len(ids - found_ids) + len(numbers - found_numbers)

    existing = list(
        # a subquery, not a list of ids: a whole province is tens of thousands of parameters
        Enrolment.objects.filter(course=course, staff__in=targets_qs.values("pk")).values_list(
            "pk", "staff_id", "source", "due_date", "completed_at"
        )
    )
    to_update, unchanged = [], 0
    for pk, _staff_id, source, current_due, completed_at in existing:
        if completed_at is not None or (
            source == Enrolment.Source.ASSIGNED and current_due == due_date
        ):
            unchanged += 1
        else:
            to_update.append(pk)
    if to_update:
        Enrolment.objects.filter(pk__in=to_update).update(
            source=Enrolment.Source.ASSIGNED, due_date=due_date
        )
    enrolled = {staff_id for _pk, staff_id, *_rest in existing}
    new = [
        Enrolment(
            staff_id=staff_id, course=course, source=Enrolment.Source.ASSIGNED, due_date=due_date
        )
        for staff_id in sorted(found_ids - enrolled)
    ]
    # a self-enrolment racing with this one keeps its row; the constraint decides
    Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return AssignResult(
        created=len(new), updated=len(to_update), unchanged=unchanged, out_of_scope=out_of_scope
    )


@transaction.atomic
def enrolments_sync_automatic(*, staff_ids: Iterable[int] | None = None) -> int:
    """Active staff with a requirement not met (gap, expired or expiring) are enrolled in the
    live courses teaching that competency; existing enrolments are never removed or changed.
    Returns the number of enrolments created; a second run creates none."""
    staff = StaffRecord.objects.filter(active=True)
    if staff_ids is not None:
        staff = staff.filter(pk__in=list(staff_ids))
    needs: dict[int, set[int]] = {}  # competency id -> staff ids
    for staff_id, statuses in requirement_statuses_for_staff(staff=staff).items():
        for status in statuses:
            if status.status != Status.MET:
                needs.setdefault(status.requirement.competency_id, set()).add(staff_id)
    if not needs:
        return 0
    courses = course_list_for_competencies(competency_ids=list(needs))
    wanted = {
        (staff_id, course.pk)
        for competency_id, teaching in courses.items()
        for course in teaching
        for staff_id in needs[competency_id]
    }
    if not wanted:
        return 0
    existing = set(
        Enrolment.objects.filter(
            staff__in=staff.values("pk"), course_id__in={c for _s, c in wanted}
        ).values_list("staff_id", "course_id")
    )
    new = [
        Enrolment(staff_id=staff_id, course_id=course_id, source=Enrolment.Source.AUTOMATIC)
        for staff_id, course_id in sorted(wanted - existing)
    ]
    Enrolment.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)
