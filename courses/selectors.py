"""Reads for course pages and a learner's progress through them."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from wagtail import hooks

from staff.models import StaffRecord
from staff.selectors import staff_for_user

from .models import CourseIndexPage, CoursePage, Enrolment, LessonPage, LessonProgress

# Downstream apps (exams, certificates) add links to a course page through this Wagtail hook:
# fn(course=CoursePage, staff=StaffRecord | None, completed=bool) -> list[CourseAction]
COURSE_ACTIONS_HOOK = "lms_course_actions"


@dataclass(frozen=True)
class CourseAction:
    label: str
    url: str
    enabled: bool = True
    note: str = ""


@dataclass
class CourseOverview:
    staff: StaffRecord | None
    lessons: list[LessonPage]
    done_ids: set[int]
    enrolment: Enrolment | None
    actions: list[CourseAction] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * len(self.done_ids) / len(self.lessons)) if self.lessons else 0

    @property
    def completed(self) -> bool:
        return bool(self.lessons) and len(self.done_ids) >= len(self.lessons)

    @property
    def next_lesson(self) -> LessonPage | None:
        """Where the learner resumes: the first lesson not yet finished."""
        return next((x for x in self.lessons if x.pk not in self.done_ids), None)


def course_list_live(*, index: CourseIndexPage) -> QuerySet[CoursePage]:
    return CoursePage.objects.child_of(index).live().public().select_related("domain")


def course_lessons(*, course: CoursePage) -> list[LessonPage]:
    # only what navigation needs: the bodies stay in the database
    return list(
        LessonPage.objects.child_of(course)
        .live()
        .public()
        .only("id", "title", "url_path", "path", "depth", "slug")
    )


def lesson_done_ids(*, staff: StaffRecord | None, lessons: list[LessonPage]) -> set[int]:
    if staff is None or not lessons:
        return set()
    return set(
        LessonProgress.objects.filter(
            staff=staff, lesson_id__in=[x.pk for x in lessons]
        ).values_list("lesson_id", flat=True)
    )


def course_is_completed(*, staff: StaffRecord, course: CoursePage) -> bool:
    lessons = course_lessons(course=course)
    return bool(lessons) and len(lesson_done_ids(staff=staff, lessons=lessons)) == len(lessons)


def course_overview(*, course: CoursePage, user) -> CourseOverview:
    staff = staff_for_user(user=user)
    lessons = course_lessons(course=course)
    overview = CourseOverview(
        staff=staff,
        lessons=lessons,
        done_ids=lesson_done_ids(staff=staff, lessons=lessons),
        enrolment=Enrolment.objects.filter(staff=staff, course=course).first() if staff else None,
    )
    for provider in hooks.get_hooks(COURSE_ACTIONS_HOOK):
        overview.actions.extend(provider(course=course, staff=staff, completed=overview.completed))
    return overview


@dataclass
class LessonNavigation:
    course: CoursePage
    lessons: list[LessonPage]
    index: int
    done: bool

    @property
    def previous(self) -> LessonPage | None:
        return self.lessons[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> LessonPage | None:
        return self.lessons[self.index + 1] if self.index + 1 < len(self.lessons) else None


def lesson_navigation(*, lesson: LessonPage, user) -> LessonNavigation:
    course = CoursePage.objects.parent_of(lesson).only("id", "title", "url_path").first()
    lessons = course_lessons(course=course)
    staff = staff_for_user(user=user)
    index = next((i for i, x in enumerate(lessons) if x.pk == lesson.pk), 0)
    done = bool(staff and LessonProgress.objects.filter(staff=staff, lesson=lesson).exists())
    return LessonNavigation(course=course, lessons=lessons, index=index, done=done)


def enrolment_list_for_staff(*, staff: StaffRecord) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(staff=staff)
        .select_related("course")
        .order_by("completed_at", "due_date")
    )


def course_list_for_competencies(*, competency_ids: list[int]) -> dict[int, list[CoursePage]]:
    """Live, public courses teaching each of the competencies (competency id → courses), in
    a constant number of queries whatever the number of competencies."""
    if not competency_ids:
        return {}
    by_competency: dict[int, list[CoursePage]] = {}
    courses = (
        CoursePage.objects.live()
        .public()
        .filter(competencies__in=competency_ids)
        # the join made by the filter is reused: one row per (course, matching competency)
        .annotate(matched_competency=F("competencies"))
        .only("id", "title", "url_path", "path", "depth", "slug", "estimated_hours")
        .order_by("title", "pk")
    )
    for course in courses:
        by_competency.setdefault(course.matched_competency, []).append(course)
    return by_competency


# --- "My learning" -----------------------------------------------------------------------------


@dataclass
class LearningItem:
    enrolment: Enrolment
    lessons: list[LessonPage]
    done_ids: set[int]
    today: date

    @property
    def course(self) -> CoursePage:
        return self.enrolment.course

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        return round(100 * len(self.done_ids) / len(self.lessons)) if self.lessons else 0

    @property
    def completed(self) -> bool:
        return self.enrolment.completed_at is not None or (
            bool(self.lessons) and len(self.done_ids) >= len(self.lessons)
        )

    @property
    def overdue(self) -> bool:
        due = self.enrolment.due_date
        return due is not None and due < self.today and not self.completed

    @property
    def next_lesson(self) -> LessonPage | None:
        """Where the learner resumes: the first lesson not yet finished."""
        if self.completed:
            return None
        return next((x for x in self.lessons if x.pk not in self.done_ids), None)

    def sort_key(self):
        # overdue first, then by due date, then undated; completed last (latest first)
        due = self.enrolment.due_date
        if self.completed:
            done_at = self.enrolment.completed_at
            return (3, -(done_at.timestamp() if done_at else 0), self.enrolment.pk)
        if self.overdue:
            return (0, due, self.enrolment.pk)
        if due is not None:
            return (1, due, self.enrolment.pk)
        return (2, self.enrolment.enrolled_at, self.enrolment.pk)


def learning_list_for_staff(*, staff: StaffRecord, today: date | None = None) -> list[LearningItem]:
    """The staff member's enrolments in live courses with progress and the next lesson, ordered
    overdue first, then by due date, then undated, completed last; four queries whatever the
    number of enrolments."""
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(staff=staff, course__live=True).select_related("course")
    )
    if not enrolments:
        return []
    courses = {e.course.path: e.course for e in enrolments}
    depth = {e.course.depth + 1 for e in enrolments}
    in_courses = Q(pk__in=[])
    for path in courses:
        in_courses |= Q(path__startswith=path)
    lessons_by_course: dict[int, list[LessonPage]] = {}
    for lesson in (
        LessonPage.objects.live()
        .public()
        .filter(in_courses, depth__in=depth)
        .only("id", "title", "url_path", "path", "depth", "slug")
        .order_by("path")
    ):
        course = courses.get(lesson.path[: -LessonPage.steplen])
        if course is not None:
            lessons_by_course.setdefault(course.pk, []).append(lesson)
    done = set(
        LessonProgress.objects.filter(
            staff=staff,
            lesson_id__in=[x.pk for lessons in lessons_by_course.values() for x in lessons],
        ).values_list("lesson_id", flat=True)
    )
    items = [
        LearningItem(
            enrolment=e,
            lessons=(lessons := lessons_by_course.get(e.course_id, [])),
            done_ids={x.pk for x in lessons if x.pk in done},
            today=today,
        )
        for e in enrolments
    ]
    return sorted(items, key=LearningItem.sort_key)
