"""The result page teaches: each answer against the key (as far as the review policy allows),
competency names with score and level, what to study next, attempts left, the certificate."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, Exam
from assessments.services import attempt_save_answer, attempt_start, attempt_submit
from tests.assessments.factories import BlueprintCellFactory, QuestionFactory
from tests.competencies.factories import CompetencyFactory
from tests.conftest import correct_response, wrong_response
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    site_home,
    teach,
)


def _graded(world, *, right: bool, **exam_fields) -> Attempt:
    if exam_fields:
        Exam.objects.filter(pk=world.exam.pk).update(**exam_fields)
        world.exam.refresh_from_db()
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    answer = correct_response if right else wrong_response
    for seq, item in enumerate(attempt.items.select_related("question_version__question"), 1):
        attempt_save_answer(attempt=attempt, item=item, response=answer(item), seq=seq)
    return attempt_submit(attempt=attempt, idempotency_key=f"k{attempt.pk}")


def _page(client, world, attempt) -> str:
    client.force_login(world.officer.user)
    response = client.get(reverse("assessments:result", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_competencies_are_shown_by_name_with_score_and_level_reached(world, client):
    html = _page(client, world, _graded(world, right=True))
    assert world.competency.title in html
    assert not re.search(r"<td>MET-01</td>", html)
    assert world.level.name in html  # the level the passed certification exam recorded


def test_a_weak_competency_points_to_the_course_that_teaches_it(world, client):
    course = CoursePageFactory(
        parent=CourseIndexPageFactory(parent=site_home()), title="Khóa học đo lường nhóm 2"
    )
    teach(course, world.competency)
    html = _page(client, world, _graded(world, right=False))
    assert "Nội dung cần học tiếp" in html
    assert "Khóa học đo lường nhóm 2" in html and f'href="{course.url}"' in html


def test_attempts_left_and_the_next_allowed_time_are_shown(world, client):
    attempt = _graded(world, right=False, cooldown_minutes=120)
    html = _page(client, world, attempt)
    assert "Số lần đã làm bài: 1/3" in html
    assert "Còn 2 lần làm bài" in html
    ready = timezone.localtime(attempt.submitted_at + timedelta(minutes=120))
    assert ready.strftime("%H:%M %d/%m/%Y") in html


def test_each_answer_with_right_or_wrong_the_key_and_feedback_under_full_review(world, client):
    attempt = _graded(world, right=False, review_after_submit="full", review_after_close="full")
    html = _page(client, world, attempt)
    assert html.count('class="badge status-gap">Sai<') == attempt.question_count
    assert html.count("Đáp án đúng:") == attempt.question_count


def test_nothing_of_the_outcome_shows_before_the_policy_shows_the_score(world, client):
    html = _page(client, world, _graded(world, right=False, review_after_submit="nothing"))
    assert world.competency.title not in html
    assert "Nội dung cần học tiếp" not in html
    assert "Số lần đã làm bài: 1/3" in html  # harmless: how many attempts are left


def test_a_passed_result_links_the_certificate_pdf_first_and_verification_second(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = _graded(world, right=True)
    html = _page(client, world, attempt)
    certificate = world.officer.certificates.get()
    download = reverse("certificates:download", args=[certificate.pk])
    verify = reverse("certificates:verify", args=[certificate.verification_code])
    section = html[html.index("<h2>Chứng chỉ</h2>") :]
    assert section.index(f'href="{download}"') < section.index(f'href="{verify}"')
    assert client.get(download).status_code == 200


def test_the_result_page_costs_the_same_queries_whatever_the_number_of_questions(world, client):
    client.force_login(world.officer.user)

    def queries_for(count: int) -> int:
        Attempt.objects.filter(exam=world.exam).delete()
        world.exam.blueprint.all().delete()
        competency = CompetencyFactory()
        QuestionFactory.create_batch(count, competency=competency)
        BlueprintCellFactory(exam=world.exam, competency=competency, count=count)
        BlueprintCellFactory(exam=world.exam, competency=world.competency, count=5)
        attempt = _graded(world, right=False, review_after_submit="full")
        url = reverse("assessments:result", args=[attempt.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_for(3) == queries_for(30)
