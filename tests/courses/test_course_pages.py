import pytest
from django.urls import reverse

from courses.models import Enrolment, LessonProgress
from courses.services import lesson_complete
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import StaffRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    index = CourseIndexPageFactory(parent=site_home())
    return CoursePageFactory(parent=index, slug="khoa-1")


def add_lessons(course, n):
    return [LessonPageFactory(parent=course) for _ in range(n)]


def test_completing_every_lesson_completes_the_course(course):
    lessons = add_lessons(course, 2)
    staff = StaffRecordFactory()
    lesson_complete(staff=staff, lesson=lessons[0])
    assert Enrolment.objects.get(staff=staff).completed_at is None
    lesson_complete(staff=staff, lesson=lessons[1])
    assert Enrolment.objects.get(staff=staff).completed_at is not None


def test_marking_a_lesson_done_twice_changes_nothing(course, client):
    lesson = add_lessons(course, 1)[0]
    staff = StaffRecordFactory()
    client.force_login(staff.user)
    for _ in range(2):
        client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert LessonProgress.objects.filter(staff=staff).count() == 1
    assert Enrolment.objects.filter(staff=staff).count() == 1


def test_the_course_page_resumes_at_the_first_unfinished_lesson(course, client):
    lessons = add_lessons(course, 3)
    staff = StaffRecordFactory()
    lesson_complete(staff=staff, lesson=lessons[0])
    client.force_login(staff.user)
    html = client.get(course.url).content.decode()
    assert f'href="{lessons[1].url}">Học tiếp' in html
    assert "33%" in html


def test_an_unpublished_lesson_is_hidden(course, client):
    lessons = add_lessons(course, 2)
    lessons[1].unpublish()
    html = client.get(course.url).content.decode()
    assert lessons[0].title in html and lessons[1].title not in html
    assert client.get(lessons[1].url or "/khoa-hoc/khoa-1/x/").status_code == 404


def test_course_and_lesson_pages_query_counts_do_not_grow_with_lessons(course, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = StaffRecordFactory()
    client.force_login(staff.user)

    def counts(n_lessons):
        lessons = add_lessons(course, n_lessons)
        client.get(course.url)  # warm the site-root cache
        with CaptureQueriesContext(connection) as course_page:
            assert client.get(course.url).status_code == 200
        with CaptureQueriesContext(connection) as lesson_page:
            assert client.get(lessons[-1].url).status_code == 200
        return len(course_page), len(lesson_page)

    few = counts(2)
    many = counts(10)  # 12 lessons now
    assert few == many
    assert max(many) <= 20  # Wagtail routing and view restrictions take about half


def test_every_page_header_links_to_the_course_catalogue(course, client):
    response = client.get(course.url)
    assert f'href="{reverse("courses:catalogue")}"' in response.content.decode()
    follow = client.get(reverse("courses:catalogue"))
    assert follow.status_code == 302
    assert follow["Location"] == course.get_parent().url


def test_the_catalogue_link_is_not_found_while_no_catalogue_is_live(client):
    assert client.get(reverse("courses:catalogue")).status_code == 404


def test_the_course_progress_bar_has_an_accessible_name(course, client):
    add_lessons(course, 1)
    staff = StaffRecordFactory()
    client.force_login(staff.user)
    html = client.get(course.url).content.decode()
    start = html.index('<progress class="progress"')
    bar = html[start : html.index("</progress>", start)]
    assert 'aria-label="Tiến độ khóa học"' in bar
