"""The officer's "My learning": overdue first, then by due date, completed last; progress,
source and the next lesson; a constant number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment
from courses.selectors import learning_list_for_staff
from courses.services import enrolment_enrol, lesson_complete
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import StaffRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/me/learning/"


@pytest.fixture
def index():
    return CourseIndexPageFactory(parent=site_home())


@pytest.fixture
def officer():
    return StaffRecordFactory(user__username="hocvien")


def course_with_lessons(index, title, n=2):
    course = CoursePageFactory(parent=index, title=title)
    lessons = [LessonPageFactory(parent=course, title=f"{title} – bài {i + 1}") for i in range(n)]
    return course, lessons


def enrol(officer, course, *, days=None, source=Enrolment.Source.ASSIGNED):
    due = timezone.localdate() + timedelta(days=days) if days is not None else None
    return enrolment_enrol(staff=officer, course=course, source=source, due_date=due)


def test_the_url_is_named_my_learning():
    assert reverse("my_learning") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_account_without_a_staff_record_gets_a_clear_message(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert "chưa gắn với hồ sơ cán bộ" in response.content.decode()


def test_overdue_first_then_by_due_date_then_undated_and_completed_last(index, officer):
    done, done_lessons = course_with_lessons(index, "Đã xong", 1)
    undated, _ = course_with_lessons(index, "Tự chọn")
    later, _ = course_with_lessons(index, "Hạn sau")
    soon, _ = course_with_lessons(index, "Hạn gần")
    overdue, _ = course_with_lessons(index, "Quá hạn")
    enrol(officer, done, days=-10)
    lesson_complete(staff=officer, lesson=done_lessons[0])
    enrol(officer, undated, source=Enrolment.Source.SELF)
    enrol(officer, later, days=30)
    enrol(officer, soon, days=3)
    enrol(officer, overdue, days=-2)
    items = learning_list_for_staff(staff=officer)
    assert [i.course.title for i in items] == [
        "Quá hạn",
        "Hạn gần",
        "Hạn sau",
        "Tự chọn",
        "Đã xong",
    ]
    assert [i.overdue for i in items] == [True, False, False, False, False]
    assert items[-1].completed and items[-1].percent == 100


def test_each_course_shows_progress_source_the_overdue_marker_and_the_next_lesson(
    client, index, officer
):
    course, lessons = course_with_lessons(index, "Đo lường", 3)
    enrol(officer, course, days=-1)
    lesson_complete(staff=officer, lesson=lessons[0])
    client.force_login(officer.user)
    html = client.get(URL).content.decode()
    assert "33%" in html
    assert f'href="{lessons[1].url}"' in html
    # overdue in words, not colour alone (Vietnamese by default; English msgid otherwise)
    assert re.search(r"[Qq]uá hạn|Overdue", html)
    assert "Được giao" in html  # the source, in words


def test_the_page_takes_the_same_number_of_queries_for_2_and_8_enrolments(client, index, officer):
    client.force_login(officer.user)

    def queries_with(n):
        for i in range(n - Enrolment.objects.filter(staff=officer).count()):
            course, lessons = course_with_lessons(index, f"Khóa {n}-{i}", 2)
            enrol(officer, course, days=i - 3)
            lesson_complete(staff=officer, lesson=lessons[0])
        client.get(URL)  # warms the site root paths kept in the (database) cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    assert queries_with(2) == queries_with(8)


def test_the_dashboard_links_to_my_learning(client, officer):
    client.force_login(officer.user)
    assert f'href="{URL}"' in client.get(reverse("dashboard")).content.decode()
