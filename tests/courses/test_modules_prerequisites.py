"""Course structure and learning rules: optional modules, competencies taught with their level,
prerequisites, completion on reaching a lesson's end, and re-evaluation when staff move."""

from datetime import timedelta

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress, ModulePage
from courses.selectors import course_lessons, learning_list_for_staff, lesson_navigation
from courses.services import CourseError, enrolment_enrol, enrolments_assign, lesson_complete
from staff.services import staff_record_upsert
from tests.competencies.factories import (
    CompetencyFactory,
    ProficiencyLevelFactory,
)
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    site_home,
    teach,
)
from tests.screen_text import screen_text
from tests.staff.factories import (
    OrgUnitFactory,
    PositionFactory,
    StaffRecordFactory,
    hr_officer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return CourseIndexPageFactory(parent=site_home())


@pytest.fixture
def course(index):
    return CoursePageFactory(parent=index, slug="khoa-hoc-phan")


@pytest.fixture
def modular(course):
    """intro lesson, module A (2 lessons), module B (1 lesson)."""
    intro = LessonPageFactory(parent=course, title="Giới thiệu")
    a = ModulePageFactory(parent=course, title="Học phần A", slug="hoc-phan-a")
    a1 = LessonPageFactory(parent=a, title="A1")
    a2 = LessonPageFactory(parent=a, title="A2")
    b = ModulePageFactory(parent=course, title="Học phần B", slug="hoc-phan-b")
    b1 = LessonPageFactory(parent=b, title="B1")
    return {"intro": intro, "a": a, "a1": a1, "a2": a2, "b": b, "b1": b1}


# --- page tree ---------------------------------------------------------------------------------


def test_page_tree_allows_modules_only_in_courses_and_lessons_in_courses_or_modules():
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert set(LessonPage.allowed_parent_page_models()) == {CoursePage, ModulePage}
    assert ModulePage.allowed_subpage_models() == [LessonPage]
    assert set(CoursePage.allowed_subpage_models()) == {LessonPage, ModulePage}


def test_a_module_has_no_page_of_its_own_and_leads_to_its_place_on_the_course(modular, client):
    response = client.get(modular["a"].url)
    assert response.status_code == 302
    assert response["Location"].endswith("/khoa-hoc-phan/#hoc-phan-a")


# --- outline -----------------------------------------------------------------------------------


def test_lessons_come_in_tree_order_grouped_by_module(course, modular, client):
    titles = [x.title for x in course_lessons(course=course)]
    assert titles == ["Giới thiệu", "A1", "A2", "B1"]
    html = client.get(course.url).content.decode()
    assert html.index("Giới thiệu") < html.index("Học phần A") < html.index("A2")
    assert html.index("A2") < html.index("Học phần B") < html.index("B1")
    assert 'id="hoc-phan-a"' in html


def test_navigation_crosses_module_boundaries(modular):
    nav = lesson_navigation(lesson=modular["a2"], user=StaffRecordFactory().user)
    assert nav.course.title and nav.previous.title == "A1" and nav.next.title == "B1"
    assert nav.index == 2 and len(nav.lessons) == 4


def test_lessons_of_a_draft_or_restricted_module_are_hidden(course, modular):
    modular["a"].unpublish()
    assert [x.title for x in course_lessons(course=course)] == ["Giới thiệu", "B1"]
    PageViewRestriction.objects.create(
        page=modular["b"], restriction_type=PageViewRestriction.LOGIN
    )
    assert [x.title for x in course_lessons(course=course)] == ["Giới thiệu"]


def test_completing_lessons_in_every_module_completes_the_course(course, modular):
    staff = StaffRecordFactory()
    for key in ("intro", "a1", "a2"):
        lesson_complete(staff=staff, lesson=modular[key])
    assert Enrolment.objects.get(staff=staff, course=course).completed_at is None
    lesson_complete(staff=staff, lesson=modular["b1"])
    assert Enrolment.objects.get(staff=staff, course=course).completed_at is not None


def test_lesson_page_queries_do_not_grow_with_modules_and_lessons(course, client):
    from django.db import connection

    staff = StaffRecordFactory()
    client.force_login(staff.user)

    def count(n_modules):
        last = None
        for _ in range(n_modules):
            module = ModulePageFactory(parent=course)
            last = [LessonPageFactory(parent=module) for _ in range(3)][-1]
        client.get(last.url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(last.url).status_code == 200
        return len(ctx)

    assert count(1) == count(5)


# --- competencies taught -----------------------------------------------------------------------


def test_the_course_page_shows_each_competency_taught_and_its_level(course, client):
    competency = CompetencyFactory(code="MET-09", title="Kiểm tra phương tiện đo")
    teach(course, competency, ProficiencyLevelFactory(rank=3, name="Thành thạo"))
    text = screen_text(client.get(course.url).content.decode())
    assert "MET-09 Kiểm tra phương tiện đo → Thành thạo" in text


# --- reaching the end of a lesson --------------------------------------------------------------


def test_the_next_button_at_the_end_of_a_lesson_completes_it_and_goes_on(course, client):
    first, second = LessonPageFactory(parent=course), LessonPageFactory(parent=course)
    staff = StaffRecordFactory()
    client.force_login(staff.user)
    html = client.get(first.url).content.decode()
    action = reverse("courses:lesson_complete", args=[first.pk])
    assert f'action="{action}" id="lesson-end"' in html
    assert "js/lesson" in html  # marks it done when the end comes into view
    response = client.post(action)
    assert response["Location"] == second.url
    assert LessonProgress.objects.filter(staff=staff, lesson=first).exists()
    # done: a plain link now, and no script
    html = client.get(first.url).content.decode()
    assert 'id="lesson-end"' not in html and "js/lesson" not in html
    assert f'href="{second.url}" rel="next"' in html


def test_the_script_posts_for_json_and_a_repeat_changes_nothing(course, client):
    lesson = LessonPageFactory(parent=course)
    staff = StaffRecordFactory()
    client.force_login(staff.user)
    url = reverse("courses:lesson_complete", args=[lesson.pk])
    for _ in range(2):
        response = client.post(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200 and response.json() == {"done": True}
    assert LessonProgress.objects.filter(staff=staff).count() == 1


def test_an_account_without_staff_record_is_told_so_in_json(course, client, django_user_model):
    lesson = LessonPageFactory(parent=course)
    client.force_login(django_user_model.objects.create_user("khach", password="x"))
    response = client.post(
        reverse("courses:lesson_complete", args=[lesson.pk]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409 and response.json()["done"] is False
    assert not LessonProgress.objects.exists()


def test_completion_is_refused_to_visitors_and_for_drafts(course, client):
    lesson = LessonPageFactory(parent=course)
    url = reverse("courses:lesson_complete", args=[lesson.pk])
    assert client.post(url).status_code == 302  # to the sign-in page
    client.force_login(StaffRecordFactory().user)
    assert client.get(url).status_code == 405
    lesson.unpublish()
    assert client.post(url).status_code == 404
    assert not LessonProgress.objects.exists()


# --- prerequisites -----------------------------------------------------------------------------


@pytest.fixture
def basics(index):
    basics = CoursePageFactory(parent=index, title="Đo lường cơ bản")
    LessonPageFactory(parent=basics)
    return basics


@pytest.fixture
def advanced(index, basics):
    advanced = CoursePageFactory(parent=index, title="Đo lường nâng cao")
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()
    LessonPageFactory(parent=advanced)
    return CoursePage.objects.get(pk=advanced.pk)


def test_self_enrolment_waits_for_the_prerequisites(basics, advanced, client):
    staff = StaffRecordFactory()
    with pytest.raises(CourseError, match="Đo lường cơ bản"):
        enrolment_enrol(staff=staff, course=advanced, source=Enrolment.Source.SELF)
    with pytest.raises(CourseError):
        lesson_complete(staff=staff, lesson=course_lessons(course=advanced)[0].specific)
    assert not Enrolment.objects.filter(course=advanced).exists()
    assert not LessonProgress.objects.exists()

    client.force_login(staff.user)
    html = client.get(advanced.url).content.decode()
    assert "Đo lường cơ bản" in html and reverse("courses:enrol", args=[advanced.pk]) not in html
    response = client.post(reverse("courses:enrol", args=[advanced.pk]), follow=True)
    assert "Đo lường cơ bản" in response.content.decode()
    assert not Enrolment.objects.filter(course=advanced).exists()

    lesson_complete(staff=staff, lesson=course_lessons(course=basics)[0].specific)
    enrolment_enrol(staff=staff, course=advanced, source=Enrolment.Source.SELF)
    assert Enrolment.objects.filter(staff=staff, course=advanced).exists()


def test_hr_may_assign_a_course_whose_prerequisites_are_not_done(roles, advanced):
    staff = StaffRecordFactory()
    hr = hr_officer_of(staff.org_unit)
    result = enrolments_assign(
        course=advanced,
        by=hr,
        due_date=timezone.localdate() + timedelta(days=30),
        staff_ids=[staff.pk],
    )
    assert result.created == 1
    # an assigned officer may then follow the course
    lesson_complete(staff=staff, lesson=course_lessons(course=advanced)[0].specific)
    assert Enrolment.objects.get(staff=staff, course=advanced).completed_at is not None


# --- My learning and restricted courses ----------------------------------------------------------


def test_a_course_put_under_a_view_restriction_leaves_my_learning(
    index, django_assert_max_num_queries
):
    staff = StaffRecordFactory()
    open_course, closed = CoursePageFactory(parent=index), CoursePageFactory(parent=index)
    for c in (open_course, closed):
        LessonPageFactory(parent=c)
        enrolment_enrol(staff=staff, course=c, source=Enrolment.Source.SELF)
    PageViewRestriction.objects.create(page=closed, restriction_type=PageViewRestriction.LOGIN)
    with django_assert_max_num_queries(4):
        items = learning_list_for_staff(staff=staff)
    assert [i.course.pk for i in items] == [open_course.pk]


# --- staff moves re-evaluate automatic enrolment -------------------------------------------------


def test_a_new_position_with_a_gap_enrols_the_officer_at_once(
    index, django_capture_on_commit_callbacks
):
    from competencies.services import framework_publish
    from tests.competencies.factories import FrameworkFactory, RequirementFactory

    unit = OrgUnitFactory()
    clerk, inspector = PositionFactory(code="VT"), PositionFactory(code="KT")
    competency = CompetencyFactory()
    framework = FrameworkFactory()
    RequirementFactory(framework=framework, position=inspector, competency=competency)
    framework_publish(framework=framework)
    course = CoursePageFactory(parent=index)
    teach(course, competency)
    LessonPageFactory(parent=course)

    with django_capture_on_commit_callbacks(execute=True):
        staff = staff_record_upsert(
            personnel_number="NV-1", full_name="Lê Văn A", org_unit=unit, position=clerk
        )
    assert not Enrolment.objects.filter(staff=staff).exists()
    with django_capture_on_commit_callbacks(execute=True):
        staff_record_upsert(
            personnel_number="NV-1", full_name="Lê Văn A", org_unit=unit, position=inspector
        )
    enrolment = Enrolment.objects.get(staff=staff, course=course)
    assert enrolment.source == Enrolment.Source.AUTOMATIC
