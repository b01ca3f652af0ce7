from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Attempt, AttemptItem
from assessments.services import (
    AssessmentError,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
)
from competencies.models import CompetencyRecord
from tests.conftest import correct_response, wrong_response


def _answer_all(attempt, picker):
    for seq, item in enumerate(attempt.items.select_related("question_version__question"), 1):
        attempt_save_answer(attempt=attempt, item=item, response=picker(item), seq=seq)


def test_starting_draws_the_blueprint_and_sets_a_server_deadline(world):
    before = timezone.now()
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    assert attempt.items.count() == 5
    expected = before + timedelta(minutes=world.exam.time_limit_minutes)
    assert abs((attempt.deadline - expected).total_seconds()) < 5


def test_starting_twice_returns_the_same_open_attempt(world):
    first = attempt_start(exam=world.exam, staff=world.officer)
    assert attempt_start(exam=world.exam, staff=world.officer).pk == first.pk
    assert Attempt.objects.count() == 1


def test_starting_is_at_most_10_queries_whatever_the_blueprint_size(
    world, django_assert_max_num_queries
):
    # 11: the positions allowed to take the exam are one query of their own
    with django_assert_max_num_queries(10):
        attempt_start(exam=world.exam, staff=world.officer)


def test_an_unpublished_exam_cannot_be_started(world):
    world.exam.published = False
    world.exam.save()
    with pytest.raises(AssessmentError):
        attempt_start(exam=world.exam, staff=world.officer)


def test_all_right_answers_pass_and_write_competency_evidence(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    _answer_all(attempt, correct_response)
    graded = attempt_submit(attempt=attempt, idempotency_key="k1")
    assert graded.passed is True
    assert graded.score_percent == 100
    assert graded.competency_scores == {"MET-01": 100.0}
    record = CompetencyRecord.objects.get(staff=world.officer, competency=world.competency)
    assert record.level == world.level
    assert record.evidence_ref == f"attempt:{attempt.pk}"


def test_wrong_answers_fail_and_write_no_evidence(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    _answer_all(attempt, wrong_response)
    graded = attempt_submit(attempt=attempt, idempotency_key="k1")
    assert graded.passed is False
    assert graded.score_percent == 0
    assert not CompetencyRecord.objects.exists()


def test_a_second_submit_of_the_same_attempt_changes_nothing(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    _answer_all(attempt, correct_response)
    first = attempt_submit(attempt=attempt, idempotency_key="k1")
    second = attempt_submit(attempt=attempt, idempotency_key="k2")
    assert (second.submitted_at, second.submit_key) == (first.submitted_at, "k1")
    assert CompetencyRecord.objects.count() == 1


def test_a_repeated_save_changes_nothing_and_answers_as_the_first(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = attempt.items.first()
    first = attempt_save_answer(attempt=attempt, item=item, response=["a"], seq=3)
    again = attempt_save_answer(attempt=attempt, item=item, response=["a"], seq=3)
    assert (first.outcome, again.outcome) == ("saved", "repeated")
    item.refresh_from_db()
    assert (item.response, item.saved_seq) == (["a"], 3)


def test_an_older_sequence_never_overwrites_a_newer_answer(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = attempt.items.first()
    attempt_save_answer(attempt=attempt, item=item, response=["b"], seq=5)
    with pytest.raises(AssessmentError):
        attempt_save_answer(attempt=attempt, item=item, response=["a"], seq=4)
    item.refresh_from_db()
    assert item.response == ["b"]


def test_saving_is_one_write(world, django_assert_num_queries):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = attempt.items.select_related("question_version__question").first()
    with django_assert_num_queries(1):
        attempt_save_answer(attempt=attempt, item=item, response=["a"], seq=1)


def test_an_option_that_does_not_exist_is_refused(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = attempt.items.first()
    with pytest.raises(AssessmentError):
        attempt_save_answer(attempt=attempt, item=item, response=["zzz"], seq=1)
    with pytest.raises(AssessmentError):
        attempt_save_answer(attempt=attempt, item=item, response=["a", "b"], seq=1)


def test_a_save_after_the_deadline_and_grace_is_refused(world, settings):
    settings.ATTEMPT_GRACE_SECONDS = 30
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=1),
        deadline=timezone.now() - timedelta(seconds=31),
    )
    attempt.refresh_from_db()
    with pytest.raises(AssessmentError, match="hết thời gian"):
        attempt_save_answer(attempt=attempt, item=attempt.items.first(), response=["a"], seq=1)


def test_overdue_attempts_are_closed_and_graded_with_what_was_saved(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    _answer_all(attempt, correct_response)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=2),
        deadline=timezone.now() - timedelta(hours=1),
    )
    assert attempts_close_overdue() == 1
    assert attempts_close_overdue() == 0
    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed, attempt.submit_key) == ("graded", True, "deadline")


def test_no_more_attempts_than_allowed(world):
    world.exam.max_attempts = 1
    world.exam.save()
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    attempt_submit(attempt=attempt, idempotency_key="k")
    with pytest.raises(AssessmentError, match="hết số lần"):
        attempt_start(exam=world.exam, staff=world.officer)


def test_items_keep_the_question_version_they_were_given(world):
    from assessments.services import question_version_create

    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = attempt.items.select_related("question_version__question").first()
    old_version = item.question_version
    question_version_create(
        question=old_version.question, stem="<p>Đã sửa</p>", options=old_version.options
    )
    assert AttemptItem.objects.get(pk=item.pk).question_version_id == old_version.pk


def test_the_close_overdue_command_and_task_close_late_attempts(world):
    import io

    from django.core.management import call_command

    from assessments.tasks import attempts_close_overdue_task

    attempt = attempt_start(exam=world.exam, staff=world.officer)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=2),
        deadline=timezone.now() - timedelta(hours=1),
    )
    out = io.StringIO()
    call_command("close_overdue_attempts", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert attempts_close_overdue_task.delay().get() == 0


def test_every_beat_entry_names_a_registered_task():
    from django.conf import settings

    from lms.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
