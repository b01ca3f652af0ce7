"""The admin's page search finds a lesson by a word of its content, with or without diacritics,
and survives hostile queries."""

import pytest
from django.urls import reverse

from courses.services import course_catalogue_grant_trainers
from staff.roles import Role
from staff.services import user_role_grant
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(roles):
    index = CourseIndexPageFactory(parent=site_home())
    course_catalogue_grant_trainers(index=index)
    course = CoursePageFactory(parent=index, title="Đo lường", summary="Quản lý cân đối chứng")
    LessonPageFactory(
        parent=course,
        title="Bài 1",
        body=[("paragraph", "<p>Phương tiện đo <b>nhóm</b> hai phải được kiểm định.</p>")],
    )
    LessonPageFactory(parent=course, title="Bài 2")
    user = UserFactory(username="giangvien-tim")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def _found(client, query):
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    return {title for title in ("Bài 1", "Bài 2", "Đo lường") if title in page}


@pytest.mark.parametrize("query", ["kiểm định", "kiem dinh", "KIỂM ĐỊNH", "Kiem", "phương tiện"])
def test_page_search_finds_a_lesson_by_its_body(client, trainer, query):
    client.force_login(trainer)
    assert "Bài 1" in _found(client, query)
    assert "Bài 2" not in _found(client, query)


def test_page_search_finds_a_course_by_its_summary(client, trainer):
    client.force_login(trainer)
    assert "Đo lường" in _found(client, "doi chung")


@pytest.mark.parametrize("query", ["x" * 5000, "%", "_", "!!!", '"', "'", "(", "*", "a " * 300])
def test_hostile_page_queries_do_not_fail(client, trainer, query):
    client.force_login(trainer)
    _found(client, query)
