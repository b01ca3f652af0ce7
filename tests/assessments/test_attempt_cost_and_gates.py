"""The course gate of an exam, and what starting and answering cost whatever the exam's size:
the budgets hold for the largest blueprints trainers build, not only for the small test exam."""

import pytest
from django.urls import reverse

from assessments.models import Attempt
from assessments.services import AssessmentError, attempt_start
from courses.services import lesson_complete
from tests.assessments.factories import BlueprintCellFactory, QuestionFactory
from tests.assessments.tokens import token
from tests.competencies.factories import CompetencyFactory
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_lessons():
    index = CourseIndexPageFactory(parent=site_home())
    course = CoursePageFactory(parent=index, slug="do-luong")
    lessons = [LessonPageFactory(parent=course) for _ in range(2)]
    return course, lessons


def gated_exam(world, course, *, competencies: int = 1, per_cell: int = 5):
    """The world's exam behind `course`, with `competencies` × 2 difficulties × `per_cell`
    questions in its blueprint."""
    exam = world.exam
    exam.course = course
    exam.requires_course_completion = True
    exam.save()
    exam.blueprint.all().delete()
    for n in range(competencies):
        competency = world.competency if n == 0 else CompetencyFactory()
        for difficulty in ("easy", "medium"):
            QuestionFactory.create_batch(per_cell, competency=competency, difficulty=difficulty)
            BlueprintCellFactory(
                exam=exam, competency=competency, difficulty=difficulty, count=per_cell
            )
    return exam


def test_an_exam_behind_a_course_refuses_until_every_lesson_is_done(world, course_with_lessons):
    course, lessons = course_with_lessons
    exam = gated_exam(world, course)
    lesson_complete(staff=world.officer, lesson=lessons[0])
    with pytest.raises(AssessmentError) as refused:
        attempt_start(exam=exam, staff=world.officer)
    assert "hoàn thành khóa học" in refused.value.message
    assert not Attempt.objects.exists()

    lesson_complete(staff=world.officer, lesson=lessons[1])
    attempt = attempt_start(exam=exam, staff=world.officer)
    assert attempt.items.count() == 10


def test_the_refusal_reaches_the_officer_on_the_exam_page(world, course_with_lessons, client):
    course, _lessons = course_with_lessons
    exam = gated_exam(world, course)
    client.force_login(world.officer.user)
    response = client.post(reverse("assessments:start", args=[exam.pk]), follow=True)
    assert "Bạn cần hoàn thành khóa học trước khi làm bài thi." in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_lesson_added_after_completion_does_not_close_the_exam_again(world, course_with_lessons):
    # completion is recorded once, on the enrolment; the gate reads it
    course, lessons = course_with_lessons
    exam = gated_exam(world, course)
    for lesson in lessons:
        lesson_complete(staff=world.officer, lesson=lesson)
    LessonPageFactory(parent=course)
    assert attempt_start(exam=exam, staff=world.officer).items.count() == 10


@pytest.mark.parametrize("competencies,per_cell", [(1, 3), (4, 10)], ids=["6 questions", "80"])
def test_starting_a_gated_exam_is_at_most_10_queries_whatever_its_size(
    world, course_with_lessons, django_assert_max_num_queries, competencies, per_cell
):
    course, lessons = course_with_lessons
    exam = gated_exam(world, course, competencies=competencies, per_cell=per_cell)
    exam.eligible_positions.add(world.officer.position)
    for lesson in lessons:
        lesson_complete(staff=world.officer, lesson=lesson)
    with django_assert_max_num_queries(10):
        attempt = attempt_start(exam=exam, staff=world.officer)
    assert attempt.items.count() == competencies * 2 * per_cell


@pytest.mark.parametrize("competencies,per_cell", [(1, 3), (4, 10)], ids=["6 questions", "80"])
def test_a_question_page_and_a_save_are_at_most_5_queries_whatever_the_exam_size(
    world, client, django_assert_max_num_queries, competencies, per_cell
):
    exam = world.exam
    exam.blueprint.all().delete()
    for n in range(competencies):
        competency = world.competency if n == 0 else CompetencyFactory()
        QuestionFactory.create_batch(per_cell * 2, competency=competency)
        BlueprintCellFactory(exam=exam, competency=competency, count=per_cell * 2)
    attempt = attempt_start(exam=exam, staff=world.officer)
    client.force_login(world.officer.user)
    last = competencies * 2 * per_cell
    for position in (1, last):
        url = reverse("assessments:question", args=[attempt.pk, position])
        answer = token(attempt, position, "a")
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(5):
            saved = client.post(
                url, {"answer": answer, "seq": position}, HTTP_ACCEPT="application/json"
            )
        assert saved.json()["saved"] is True
