"""A practice exam lets an officer try before the certification exam: it waits for no course,
records no competency, earns no certificate, and the course page offers it first."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Attempt, Exam
from assessments.selectors import exam_list_for_competencies
from assessments.services import (
    AssessmentError,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    blueprint_shortfalls,
)
from certificates.models import Certificate
from competencies.models import CompetencyRecord
from courses.models import CoursePage, Enrolment
from courses.services import enrolment_enrol
from tests.assessments.factories import BlueprintCellFactory, ExamFactory
from tests.certificates.factories import CertificateTemplateFactory
from tests.conftest import correct_response
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=site_home()), slug="do-luong")
    LessonPageFactory.create_batch(2, parent=course)
    # the world's certification exam waits for the course
    world.exam.course = course
    world.exam.requires_course_completion = True
    world.exam.save()
    enrolment_enrol(staff=world.officer, course=course, source=Enrolment.Source.SELF)
    return course


@pytest.fixture
def practice(world, course):
    """A practice exam on the course, on the same questions, left with the admin's default
    "course must be completed first" ticked."""
    exam = ExamFactory(
        title="Luyện tập: Đo lường",
        kind=Exam.Kind.PRACTICE,
        course=course,
        requires_course_completion=True,
        awarded_level=world.level,
        review_after_submit="full",
        review_after_close="full",
    )
    BlueprintCellFactory(exam=exam, competency=world.competency, count=5)
    return exam


def pass_attempt(exam, staff) -> Attempt:
    attempt = attempt_start(exam=exam, staff=staff)
    for seq, item in enumerate(attempt.items.select_related("question_version__question"), 1):
        attempt_save_answer(attempt=attempt, item=item, response=correct_response(item), seq=seq)
    return attempt_submit(attempt=attempt, idempotency_key=f"k-{attempt.pk}")


def test_a_practice_exam_starts_before_the_course_is_finished(world, practice):
    with pytest.raises(AssessmentError):  # the certification exam waits for the course
        attempt_start(exam=world.exam, staff=world.officer)
    attempt = attempt_start(exam=practice, staff=world.officer)
    assert attempt.status == Attempt.Status.IN_PROGRESS and attempt.items.count() == 5


def test_passing_a_practice_exam_records_no_competency_and_issues_no_certificate(
    world, practice, django_capture_on_commit_callbacks
):
    # even a certificate template that names the practice exam earns nothing from it
    CertificateTemplateFactory(exam=practice)
    with django_capture_on_commit_callbacks(execute=True):
        graded = pass_attempt(practice, world.officer)
    assert graded.passed is True and graded.score_percent == 100
    assert not CompetencyRecord.objects.filter(staff=world.officer).exists()
    assert not Certificate.objects.filter(staff=world.officer).exists()


def test_a_practice_exam_can_be_taken_again_at_once(world, practice):
    first = pass_attempt(practice, world.officer)
    second = attempt_start(exam=practice, staff=world.officer)
    assert (first.number, second.number) == (1, 2)


def test_the_course_page_offers_the_practice_exam_first_and_open(world, course, practice, client):
    client.force_login(world.officer.user)
    response = client.get(course.url)
    assert response.status_code == 200
    actions = response.context["overview"].actions
    assert [(a.label, a.enabled) for a in actions] == [
        ("Luyện tập: Đo lường", True),
        (world.exam.title, False),  # until every lesson is done
    ]
    html = response.content.decode()
    assert f'<a href="{reverse("assessments:exam", args=[practice.pk])}">' in html


def test_the_practice_exam_page_offers_to_start_before_the_course_is_finished(
    world, practice, client
):
    client.force_login(world.officer.user)
    html = client.get(reverse("assessments:exam", args=[practice.pk])).content.decode()
    assert reverse("assessments:start", args=[practice.pk]) in html
    assert "data-exam-locked" not in html
    response = client.post(reverse("assessments:start", args=[practice.pk]))
    attempt = Attempt.objects.get(exam=practice, staff=world.officer)
    assert response.url == reverse("assessments:question", args=[attempt.pk, 1])


def test_a_practice_exam_is_not_offered_as_what_closes_a_competency_gap(world, practice):
    exams = exam_list_for_competencies(competency_ids=[world.competency.pk])
    assert exams[world.competency.pk] == [world.exam]


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_practice_blueprints_draw_easy_and_medium_questions_the_bank_holds():
    from demo.assessments import PRACTICE, QUESTIONS
    from demo.courses import COURSES

    bank = Counter((q["code"], q["difficulty"]) for q in QUESTIONS)
    taught = {c.slug: {code for code, _rank in c.taught} for c in COURSES}
    assert {slug for slug, _title, _blueprint in PRACTICE} == set(taught)
    for slug, _title, blueprint in PRACTICE:
        assert {code for code, _d, _n in blueprint} == taught[slug]
        for code, difficulty, count in blueprint:
            assert difficulty in {"easy", "medium"}
            assert 1 <= count <= bank[(code, difficulty)], (slug, code, difficulty)


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_officer_practises_on_a_course_she_has_not_finished(demo, client):
    practice = Exam.objects.filter(kind=Exam.Kind.PRACTICE, published=True).select_related("course")
    courses = CoursePage.objects.filter(locale__language_code="vi")
    assert sorted(e.course_id for e in practice) == sorted(c.pk for c in courses)
    for exam in practice:
        assert exam.title == f"Luyện tập: {exam.course.title}"
        assert exam.title_en.startswith("Practice: ")
        assert exam.review_after_submit == "full" and blueprint_shortfalls(exam=exam) == []

    from staff.models import StaffRecord

    officer = StaffRecord.objects.get(personnel_number="HN-000001")
    metrology = CoursePage.objects.get(slug="do-luong-co-ban", locale__language_code="vi")
    enrolment_enrol(staff=officer, course=metrology, source=Enrolment.Source.SELF)
    client.force_login(officer.user)
    exam = practice.get(course=metrology)
    html = client.get(metrology.url).content.decode()
    assert f'<a href="{reverse("assessments:exam", args=[exam.pk])}">{exam.title}</a>' in html
    response = client.post(reverse("assessments:start", args=[exam.pk]))
    attempt = Attempt.objects.get(exam=exam, staff=officer)
    assert response.url == reverse("assessments:question", args=[attempt.pk, 1])
    assert attempt.items.count() == 8
