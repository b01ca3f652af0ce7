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
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from competencies.selectors import Status, requirement_statuses_for_staff
from staff.models import OrgUnit, Position, StaffRecord
from staff.roles import (
    COURSE_REVIEWER_GROUP_NAME,
    ROLE_GROUP_NAMES,
    TRAINER_COLLECTION_PERMISSIONS,
    TRAINER_PAGE_PERMISSIONS,
    Role,
)
from staff.selectors import staff_list_in_scope

from .localisation import canonical_page
from .models import (
    CourseIndexPage,
    CoursePage,
    CourseReviewTask,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from .selectors import (
    course_for_lesson,
    course_is_completed,
    course_list_for_competencies,
    course_prerequisites_missing,
)
from .signals import course_completed


class CourseError(Exception):
    """A refusal with a message the officer can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _prerequisites_check(*, staff: StaffRecord, course: CoursePage) -> None:
    missing = course_prerequisites_missing(course=course, staff=staff)
    if missing:
        raise CourseError(
            _("Complete these courses first: %(courses)s.")
            % {"courses": "; ".join(c.title for c in missing)}
        )


@transaction.atomic
def enrolment_enrol(
    *, staff: StaffRecord, course: CoursePage, source: str, due_date: date | None = None
) -> Enrolment:
    """One enrolment per staff and course (a translation is the same course); enrolling again
    changes nothing. An officer enrols themself only once the course's prerequisites are
    completed (HR may assign regardless)."""
    course = canonical_page(course)
    existing = Enrolment.objects.filter(staff=staff, course=course).first()
    if existing is not None:
        return existing
    if source == Enrolment.Source.SELF:
        _prerequisites_check(staff=staff, course=course)
    enrolment, _created = Enrolment.objects.get_or_create(
        staff=staff, course=course, defaults={"source": source, "due_date": due_date}
    )
    return enrolment


@transaction.atomic
def lesson_complete(*, staff: StaffRecord, lesson: LessonPage) -> LessonProgress:
    """Marking a lesson done is idempotent, in whichever language the lesson was read; the
    first lesson done enrols the officer (when the prerequisites allow) and the last one
    completes the course."""
    lesson = canonical_page(lesson)
    existing = LessonProgress.objects.filter(staff=staff, lesson=lesson).first()
    if existing is not None:
        return existing
    course = course_for_lesson(lesson=lesson)
    enrolment = enrolment_enrol(staff=staff, course=course, source=Enrolment.Source.SELF)
    progress, created = LessonProgress.objects.get_or_create(staff=staff, lesson=lesson)
    if not created:
        return progress
    if enrolment.completed_at is None and course_is_completed(staff=staff, course=course):
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
        course_completed.send(sender=CoursePage, staff=staff, course=course)
    return progress


# --- authoring: permissions and the review workflow ------------------------------------------

# names as shown in the Wagtail admin (Vietnamese, the staff's language)
COURSE_REVIEW_WORKFLOW_NAME = "Duyệt khóa học"
COURSE_REVIEW_TASK_NAME = "Người duyệt khóa học phê duyệt"


@transaction.atomic
def course_reviewer_group_ensure() -> Group:
    """The course reviewers' group exists and may open the admin."""
    group, _created = Group.objects.get_or_create(name=COURSE_REVIEWER_GROUP_NAME)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@transaction.atomic
def course_reviewer_grant(*, user) -> None:
    """The user (a trainer) approves other trainers' course changes from now on."""
    user.groups.add(course_reviewer_group_ensure())


@transaction.atomic
def course_review_workflow_ensure() -> Workflow:
    """The "Course review" workflow exists: one step, approved by a course reviewer other than
    the person who submitted the change (CourseReviewTask)."""
    task = CourseReviewTask.objects.filter(name=COURSE_REVIEW_TASK_NAME).first()
    if task is None:
        task = CourseReviewTask.objects.create(name=COURSE_REVIEW_TASK_NAME)
    task.groups.add(course_reviewer_group_ensure())
    workflow, _created = Workflow.objects.get_or_create(name=COURSE_REVIEW_WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


@transaction.atomic
def course_catalogue_grant_trainers(*, index: CourseIndexPage) -> None:
    """Trainers author and lock pages under the catalogue, in every language it is translated
    into, and add images and documents to the root collection; their changes go live once a
    course reviewer approves them in the "Course review" workflow (trainers do not publish).
    Running twice changes nothing; permissions beyond these (an earlier "publish") are taken
    back."""
    trainers = Group.objects.get(name=ROLE_GROUP_NAMES[Role.TRAINER])
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=TRAINER_PAGE_PERMISSIONS
        )
    )
    workflow = course_review_workflow_ensure()
    for catalogue in index.get_translations(inclusive=True):
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=trainers, page=catalogue, permission=permission
            )
        GroupPagePermission.objects.filter(group=trainers, page=catalogue).exclude(
            permission__in=permissions
        ).delete()
        WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    root = Collection.get_first_root_node()
    for label in TRAINER_COLLECTION_PERMISSIONS:
        app_label, codename = label.split(".")
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=trainers, collection=root, permission=permission
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
    course = canonical_page(course)  # a translation is the same course

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
            source=Enrolment.Source.ASSIGNED, due_date=due_date, assigned_by=by
        )
    enrolled = {staff_id for _pk, staff_id, *_rest in existing}
    new = [
        Enrolment(
            staff_id=staff_id,
            course=course,
            source=Enrolment.Source.ASSIGNED,
            due_date=due_date,
            assigned_by=by,
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
