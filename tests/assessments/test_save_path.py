"""The hot paths of an exam (bench/bench_exam_load.py): a background save is one read and one
write of the attempt's tables, a question page two reads (the question version, immutable, is
read once per process: assessments/version_cache.py), and the refusals keep their answers."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt
from assessments.services import attempt_start, attempt_submit
from tests.assessments.tokens import token

JSON = {"HTTP_ACCEPT": "application/json"}


def _start(client, world) -> Attempt:
    client.force_login(world.officer.user)
    return attempt_start(exam=world.exam, staff=world.officer)


def _url(attempt, position=1) -> str:
    return reverse("assessments:question", args=[attempt.pk, position])


def _attempt_queries(queries) -> list[str]:
    # session and user loading are the middleware's; what the view itself asks
    return [q["sql"] for q in queries if "assessments_" in q["sql"]]


def test_a_background_save_is_one_read_and_one_write(world, client):
    attempt = _start(client, world)
    # the officer saw the question: the session is loaded, the CSRF cookie set, the version read
    client.get(_url(attempt, 2))
    answer = token(attempt, 2, "a")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(_url(attempt, 2), {"answer": answer, "seq": 1}, **JSON)
    assert response.json()["saved"] is True
    sql = _attempt_queries(queries)
    assert len(sql) == 2
    assert sql[0].lstrip().upper().startswith("SELECT")
    assert sql[1].lstrip().upper().startswith("UPDATE")


def test_the_last_question_saved_in_the_background_leads_to_the_review(world, client):
    attempt = _start(client, world)
    count = attempt.items.count()
    body = client.post(
        _url(attempt, count), {"answer": token(attempt, count, "a"), "seq": 1}, **JSON
    ).json()
    assert body["next_url"] == reverse("assessments:review", args=[attempt.pk])
    body = client.post(
        _url(attempt, 1), {"answer": token(attempt, 1, "a"), "seq": 2}, **JSON
    ).json()
    assert body["next_url"] == _url(attempt, 2)


def test_a_question_page_reads_the_attempt_tables_twice(world, client):
    attempt = _start(client, world)
    client.get(_url(attempt))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(attempt, 3))
    assert response.status_code == 200
    # the first time, the question version too
    assert len(_attempt_queries(queries)) == 3
    with CaptureQueriesContext(connection) as queries:
        client.get(_url(attempt, 3))
    assert len(_attempt_queries(queries)) == 2
    # the navigation still marks the answered questions
    client.post(_url(attempt, 2), {"answer": token(attempt, 2, "a"), "seq": 1}, **JSON)
    html = client.get(_url(attempt, 3)).content.decode()
    assert f'href="{_url(attempt, 2)}" class="answered"' in html


def test_no_such_question_is_not_found(world, client):
    attempt = _start(client, world)
    count = attempt.items.count()
    assert client.get(_url(attempt, count + 1)).status_code == 404
    assert client.get(_url(attempt, 0)).status_code == 404
    response = client.post(_url(attempt, count + 1), {"answer": "a", "seq": 1}, **JSON)
    assert response.status_code == 404


def test_a_save_to_a_graded_attempt_is_refused_as_closed(world, client):
    attempt = _start(client, world)
    attempt_submit(attempt=attempt, idempotency_key="k")
    response = client.post(_url(attempt), {"answer": "a", "seq": 1}, **JSON)
    assert response.status_code == 410
    assert response.json()["closed"] is True
    assert client.get(_url(attempt)).url == reverse("assessments:result", args=[attempt.pk])


def test_a_save_past_the_grace_closes_the_attempt_and_writes_nothing(world, client):
    attempt = _start(client, world)
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - timedelta(hours=1), deadline=now - timedelta(minutes=5)
    )
    response = client.post(_url(attempt), {"answer": "a", "seq": 1}, **JSON)
    assert response.status_code == 410
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.items.get(position=1).response is None


def test_another_officers_attempt_is_not_found(world, client):
    from tests.staff.factories import StaffRecordFactory

    attempt = attempt_start(exam=world.exam, staff=world.officer)
    other = StaffRecordFactory()
    client.force_login(other.user)
    assert client.get(_url(attempt)).status_code == 404
    response = client.post(_url(attempt), {"answer": "a", "seq": 1}, **JSON)
    assert response.status_code == 404
    assert attempt.items.get(position=1).response is None


def test_the_cached_version_is_the_one_the_item_was_given(world, client):
    """A trainer's edit makes a new version; an open attempt keeps showing the one it drew."""
    from assessments.services import question_version_create

    attempt = _start(client, world)
    item = attempt.items.select_related("question_version__question").get(position=1)
    before = client.get(_url(attempt, 1)).content.decode()
    question = item.question_version.question
    question_version_create(
        question=question,
        stem="<p>Nội dung đã sửa của câu hỏi</p>",
        options=item.question_version.options,
    )
    after = client.get(_url(attempt, 1)).content.decode()
    assert "Nội dung đã sửa" not in after
    assert item.question_version.stem in before and item.question_version.stem in after
