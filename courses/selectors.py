"""Reads for course pages and a learner's progress through them."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet, Subquery
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from staff.models import StaffRecord
from staff.selectors import staff_for_user

from .localisation import (
    active_locale_id,
    canonical_filter,
    canonical_page,
    live_translations,
    localised,
)
from .models import (
    CourseCompetency,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
)

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
    lessons: list
    sections: list
    done_ids: set[int]
    enrolment: Enrolment | None
    taught: list = field(default_factory=list)
    prerequisites_missing: list = field(default_factory=list)
    actions: list[CourseAction] = field(default_factory=list)

    @property
    def modular(self) -> bool:
        return any(section.module is not None for section in self.sections)

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


def course_list_live(*, index: CourseIndexPage) -> list[CoursePage]:
    """The catalogue's live, public courses. A translated catalogue lists its own courses in
    place of their originals, plus the courses not translated yet (in Vietnamese), each course
    once, in the order of the Vietnamese catalogue."""
    courses = list(CoursePage.objects.child_of(index).live().public().select_related("domain"))
    source = canonical_page(index)
    if source.pk == index.pk:
        return courses
    originals = CoursePage.objects.child_of(source).live().public().select_related("domain")
    return _translated_in_order(originals=originals, translated=courses)


def _translated_in_order(*, originals, translated) -> list[CoursePage]:
    """`originals` in order, each replaced by its page among `translated` where there is one,
    then the pages of `translated` written in that language only."""
    own = {course.translation_key: course for course in translated}
    listed = [own.pop(course.translation_key, course) for course in originals]
    return listed + list(own.values())


def course_list_for_home(*, home: Page, limit: int = 12) -> list[CoursePage]:
    """Live, public courses for a home page: on a translated home, each course in that
    language where it is translated, else in Vietnamese (as the catalogue does), each once;
    then the courses written in that language only. Two queries on a translated home."""
    source = canonical_page(home)
    live = CoursePage.objects.live().public().select_related("domain")
    originals = list(live.descendant_of(source)[:limit])
    if source.pk == home.pk:
        return originals
    return _translated_in_order(originals=originals, translated=live.descendant_of(home))[:limit]


# --- a course's outline: modules and lessons in tree order -------------------------------------


@dataclass
class Section:
    """Lessons straight under the course (module None) or in one module, in tree order."""

    module: Page | None
    lessons: list[Page]


@dataclass
class Outline:
    lessons: list[Page] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


_OUTLINE_FIELDS = (
    "id",
    "title",
    "url_path",
    "path",
    "depth",
    "slug",
    "content_type_id",
    "locale_id",
    "translation_key",
)


def course_outlines(*, courses: list[CoursePage], private: Q | None = None) -> dict[int, Outline]:
    """The live lessons a learner may open in each course, grouped by (live) module, in one
    query whatever the number of courses, modules and lessons. Only what navigation needs is
    loaded: the lesson bodies stay in the database. `private` is `Page.objects.private_q()`
    when the caller already has it (it costs one query)."""
    outlines: dict[int, Outline] = {course.pk: Outline() for course in courses}
    if not courses:
        return outlines
    if private is None:
        private = Page.objects.private_q()
    by_path = {course.path: course for course in courses}
    path_lengths = {len(path) for path in by_path}
    in_courses = Q(pk__in=[])
    depths = set()
    for course in courses:
        in_courses |= Q(path__startswith=course.path)
        depths |= {course.depth + 1, course.depth + 2}
    lesson_type = ContentType.objects.get_for_model(LessonPage).pk
    module_type = ContentType.objects.get_for_model(ModulePage).pk
    rows = (
        Page.objects.live()
        .exclude(private)
        .filter(in_courses, depth__in=depths, content_type_id__in=[lesson_type, module_type])
        .only(*_OUTLINE_FIELDS)
        .order_by("path")
    )
    modules: dict[str, Page] = {}  # path -> live module readable by the learner
    for row in rows:
        course = next(
            (by_path[row.path[:n]] for n in path_lengths if row.path[:n] in by_path), None
        )
        if course is None or row.path == course.path:
            continue
        outline = outlines[course.pk]
        parent_path = row.path[: -Page.steplen]
        if row.content_type_id == module_type:
            if parent_path == course.path:
                modules[row.path] = row
                outline.sections.append(Section(module=row, lessons=[]))
            continue
        if parent_path == course.path:
            module = None
        elif parent_path in modules:
            module = modules[parent_path]
        else:
            continue  # its module is a draft or restricted: its lessons are too
        if not outline.sections or outline.sections[-1].module is not module:
            outline.sections.append(Section(module=module, lessons=[]))
        outline.sections[-1].lessons.append(row)
        outline.lessons.append(row)
    for outline in outlines.values():
        outline.sections = [s for s in outline.sections if s.lessons]
    return outlines


def course_lessons(*, course: CoursePage) -> list[Page]:
    return course_outlines(courses=[course])[course.pk].lessons


@dataclass
class ShownOutline:
    """A course's outline as a learner sees it in one language: its canonical (Vietnamese)
    lessons and modules, each replaced by its live translation where there is one."""

    outline: Outline
    canonical_ids: dict[int, int]  # shown lesson id -> canonical lesson id (progress)

    @property
    def lessons(self) -> list[Page]:
        return self.outline.lessons

    @property
    def sections(self) -> list[Section]:
        return self.outline.sections

    def done_ids(self, progress: set[int]) -> set[int]:
        """The shown lessons done, from the canonical lesson ids in `progress`."""
        return {shown for shown, canonical in self.canonical_ids.items() if canonical in progress}


def outline_shown(
    *, outline: Outline, locale_id: int, within: Page | None = None, private: Q | None = None
) -> ShownOutline:
    """`outline` (of a canonical course) in a locale: one query, none when the outline is
    already in that locale. `within` is the translated course, when the learner is on it."""
    modules = [s.module for s in outline.sections if s.module is not None]
    translations = live_translations(
        [*modules, *outline.lessons],
        locale_id=locale_id,
        within=within,
        private=private,
        fields=_OUTLINE_FIELDS,
    )
    if not translations:
        ids = {lesson.pk: lesson.pk for lesson in outline.lessons}
        return ShownOutline(outline=outline, canonical_ids=ids)
    shown = Outline()
    for section in outline.sections:
        module = section.module
        lessons = localised(section.lessons, translations)
        shown.sections.append(
            Section(
                module=translations.get(module.translation_key, module) if module else None,
                lessons=lessons,
            )
        )
        shown.lessons.extend(lessons)
    ids = {x.pk: original.pk for x, original in zip(shown.lessons, outline.lessons, strict=True)}
    return ShownOutline(outline=shown, canonical_ids=ids)


def lesson_done_ids(*, staff: StaffRecord | None, lessons: list[Page]) -> set[int]:
    if staff is None or not lessons:
        return set()
    return set(
        LessonProgress.objects.filter(
            staff=staff, lesson_id__in=[x.pk for x in lessons]
        ).values_list("lesson_id", flat=True)
    )


def course_is_completed(*, staff: StaffRecord, course: CoursePage) -> bool:
    """Every lesson of the course (its canonical one, for a translation) is done."""
    course = canonical_page(course)
    lessons = course_lessons(course=course)
    return bool(lessons) and len(lesson_done_ids(staff=staff, lessons=lessons)) == len(lessons)


def course_completed_by(*, staff: StaffRecord, course_id: int) -> bool:
    """One query, for gates such as an exam's: the staff member completed the course (the
    enrolment of its canonical page, whichever translation `course_id` names). Completion is
    recorded on the enrolment when the last lesson is done, so lessons added later do not take
    it away."""
    translation_key = CoursePage.objects.filter(pk=course_id).values("translation_key")[:1]
    return Enrolment.objects.filter(
        staff=staff,
        completed_at__isnull=False,
        course__translation_key=Subquery(translation_key),
    ).exists()


def course_for_lesson(*, lesson: Page) -> CoursePage | None:
    """The course a lesson belongs to, whether it sits in a module or not."""
    return CoursePage.objects.ancestor_of(lesson).only(*_OUTLINE_FIELDS).first()


def course_prerequisites_missing(*, course: CoursePage, staff: StaffRecord | None) -> list:
    """The live prerequisite courses this staff member has not completed (all of them for a
    visitor without a staff record)."""
    missing = course.prerequisites.live().only("id", "title", "url_path", "path", "depth", "slug")
    if staff is not None:
        missing = missing.exclude(
            pk__in=Enrolment.objects.filter(staff=staff, completed_at__isnull=False).values(
                "course_id"
            )
        )
    return list(missing.order_by("title"))


def course_competencies_taught(*, course: CoursePage) -> list[CourseCompetency]:
    return list(
        CourseCompetency.objects.filter(course=course)
        .select_related("competency", "level")
        .order_by("sort_order", "pk")
    )


def course_overview(*, course: CoursePage, user) -> CourseOverview:
    """A course page, in the page's language; enrolment, progress, lessons, prerequisites,
    competencies and exams are the canonical course's (see courses/localisation.py)."""
    staff = staff_for_user(user=user)
    source = canonical_page(course)
    private = Page.objects.private_q()
    outline = course_outlines(courses=[source], private=private)[source.pk]
    shown = outline_shown(
        outline=outline, locale_id=course.locale_id, within=course, private=private
    )
    missing = course_prerequisites_missing(course=source, staff=staff)
    if missing and course.locale_id != source.locale_id:
        missing = localised(
            missing,
            live_translations(missing, locale_id=course.locale_id, fields=_OUTLINE_FIELDS),
        )
    overview = CourseOverview(
        staff=staff,
        lessons=shown.lessons,
        sections=shown.sections,
        done_ids=shown.done_ids(lesson_done_ids(staff=staff, lessons=outline.lessons)),
        enrolment=Enrolment.objects.filter(staff=staff, course=source).first() if staff else None,
        taught=course_competencies_taught(course=source),
        prerequisites_missing=missing,
    )
    for provider in hooks.get_hooks(COURSE_ACTIONS_HOOK):
        overview.actions.extend(provider(course=source, staff=staff, completed=overview.completed))
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
    """Where a lesson sits in its course, in the lesson's language; "done" is the progress of
    the canonical lesson, whichever language it was made in."""
    course = course_for_lesson(lesson=lesson)
    source = canonical_page(course)
    private = Page.objects.private_q()
    outline = course_outlines(courses=[source], private=private)[source.pk]
    shown = outline_shown(
        outline=outline, locale_id=lesson.locale_id, within=course, private=private
    )
    staff = staff_for_user(user=user)
    index = next((i for i, x in enumerate(shown.lessons) if x.pk == lesson.pk), None)
    if index is None:  # not in the outline: its original is a draft
        index, canonical_id = 0, canonical_page(lesson).pk
    else:
        canonical_id = shown.canonical_ids[lesson.pk]
    done = bool(
        staff and LessonProgress.objects.filter(staff=staff, lesson_id=canonical_id).exists()
    )
    return LessonNavigation(course=course, lessons=shown.lessons, index=index, done=done)


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
    # a course and its translations are one course: only the canonical one is offered
    courses = (
        canonical_filter(CoursePage.objects.live().public())
        .filter(taught__competency__in=competency_ids)
        # the join made by the filter is reused: one row per (course, matching competency)
        .annotate(matched_competency=F("taught__competency"))
        .only(
            "id", "title", "url_path", "path", "depth", "slug", "estimated_hours", "translation_key"
        )
        .order_by("title", "pk")
    )
    for course in courses:
        by_competency.setdefault(course.matched_competency, []).append(course)
    return by_competency


def course_keys_completed_by(*, staff: StaffRecord) -> set:
    """The translation keys of the courses the staff member completed: a course and its
    translations share one, so either tells the course is done. One query."""
    return set(
        Enrolment.objects.filter(staff=staff, completed_at__isnull=False).values_list(
            "course__translation_key", flat=True
        )
    )


# --- "My learning" -----------------------------------------------------------------------------


@dataclass
class LearningItem:
    enrolment: Enrolment
    lessons: list[LessonPage]
    done_ids: set[int]
    today: date
    # the course in the reader's language (its live translation), else the enrolment's
    shown_course: Page | None = None

    @property
    def course(self) -> CoursePage:
        return self.shown_course or self.enrolment.course

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
    """The staff member's enrolments in live courses they may open, with progress and the next
    lesson, ordered overdue first, then by due date, then undated, completed last; courses and
    lessons in the active language where translated. Four queries (five in a language other than
    the default) whatever the number of enrolments."""
    today = today or timezone.localdate()
    # a course under a view restriction (or withdrawn) is not offered, even if once enrolled
    private = Page.objects.private_q()
    enrolments = list(
        Enrolment.objects.filter(
            staff=staff,
            course__in=CoursePage.objects.live().exclude(private).values("pk"),
        ).select_related("course")
    )
    if not enrolments:
        return []
    outlines = course_outlines(courses=[e.course for e in enrolments], private=private)
    done = set(
        LessonProgress.objects.filter(
            staff=staff,
            lesson_id__in=[x.pk for outline in outlines.values() for x in outline.lessons],
        ).values_list("lesson_id", flat=True)
    )
    # enrolments and progress are canonical (courses/localisation.py); show translations
    locale_id = active_locale_id()
    translations = live_translations(
        [*(e.course for e in enrolments), *(x for o in outlines.values() for x in o.lessons)],
        locale_id=locale_id,
        private=private,
        fields=_OUTLINE_FIELDS,
    )
    items = []
    for e in enrolments:
        lessons = outlines[e.course_id].lessons
        shown = localised(lessons, translations)
        items.append(
            LearningItem(
                enrolment=e,
                lessons=shown,
                done_ids={
                    x.pk for x, original in zip(shown, lessons, strict=True) if original.pk in done
                },
                today=today,
                shown_course=translations.get(e.course.translation_key),
            )
        )
    return sorted(items, key=LearningItem.sort_key)


# --- an officer's learning, as HR reads it on the staff record ---------------------------------


@dataclass
class EnrolmentProgress(LearningItem):
    # the course is live and not restricted: the learner can open it (and so can HR)
    available: bool = True

    @property
    def days_overdue(self) -> int:
        return (self.today - self.enrolment.due_date).days if self.overdue else 0


def enrolment_progress_list_for_staff(
    *, staff: StaffRecord, today: date | None = None
) -> list[EnrolmentProgress]:
    """Every enrolment of the staff member, also in courses withdrawn or restricted since
    (flagged `available=False`), with who assigned it, the progress through the live lessons
    the learner may open, overdue first, then by due date, completed last; courses in their
    canonical (Vietnamese) title. Five queries whatever the number of enrolments. The caller
    checks that the reader may see this staff member (the HR scope)."""
    today = today or timezone.localdate()
    enrolments = list(Enrolment.objects.filter(staff=staff).select_related("course", "assigned_by"))
    if not enrolments:
        return []
    private = Page.objects.private_q()
    courses = [e.course for e in enrolments]
    available = set(
        CoursePage.objects.live()
        .filter(pk__in=[c.pk for c in courses])
        .exclude(private)
        .values_list("pk", flat=True)
    )
    outlines = course_outlines(courses=courses, private=private)
    done = set(
        LessonProgress.objects.filter(
            staff=staff,
            lesson_id__in=[x.pk for outline in outlines.values() for x in outline.lessons],
        ).values_list("lesson_id", flat=True)
    )
    items = []
    for e in enrolments:
        lessons = outlines[e.course_id].lessons
        items.append(
            EnrolmentProgress(
                enrolment=e,
                lessons=lessons,
                done_ids={x.pk for x in lessons if x.pk in done},
                today=today,
                available=e.course_id in available,
            )
        )
    return sorted(items, key=LearningItem.sort_key)
