"""Background saves from attempt.js: the question page's own form, posted with
Accept: application/json. The server owns time and order; the client's clock and counters only
ask."""

import gzip
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt
from assessments.services import attempt_save_answer, attempt_start, attempt_submit
from competencies.models import CompetencyRecord
from tests.assessments.tokens import token
from tests.conftest import correct_response
from tests.staff.factories import StaffRecordFactory

JSON = {"HTTP_ACCEPT": "application/json"}


def start(client, world) -> Attempt:
    client.force_login(world.officer.user)
    return attempt_start(exam=world.exam, staff=world.officer)


def url(attempt, position=1) -> str:
    return reverse("assessments:question", args=[attempt.pk, position])


def save(client, attempt, answer="a", seq=1, position=1, **extra):
    """Post the option whose bank key is `answer`, as the page would: by its item's token."""
    answer = token(attempt, position, answer)
    return client.post(url(attempt, position), {"answer": answer, "seq": seq, **extra}, **JSON)


def overdue(attempt, seconds_past_deadline: int) -> None:
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - timedelta(hours=1), deadline=now - timedelta(seconds=seconds_past_deadline)
    )


def test_a_background_save_answers_json_with_the_seq_and_the_servers_remaining_time(world, client):
    attempt = start(client, world)
    response = save(client, attempt, "b", seq=4)
    assert response.status_code == 200
    body = response.json()
    assert (body["saved"], body["seq"]) == (True, 4)
    expected = world.exam.time_limit_minutes * 60
    assert expected - 10 <= body["remaining_seconds"] <= expected
    item = attempt.items.get(position=1)
    assert (item.response, item.saved_seq) == (["b"], 4)


def test_a_background_save_is_one_write(world, client):
    attempt = start(client, world)
    with CaptureQueriesContext(connection) as queries:
        assert save(client, attempt, seq=1).json()["saved"] is True
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 1


def test_a_repeated_background_save_changes_nothing_and_answers_as_the_first(world, client):
    attempt = start(client, world)
    first = save(client, attempt, "c", seq=2).json()
    again = save(client, attempt, "c", seq=2).json()  # the flaky link sent it twice
    assert again["saved"] is True and again["seq"] == first["seq"] == 2
    item = attempt.items.get(position=1)
    assert (item.response, item.saved_seq) == (["c"], 2)


def test_saves_that_arrive_out_of_order_keep_the_newest_answer(world, client):
    attempt = start(client, world)
    assert save(client, attempt, "c", seq=3).json()["saved"] is True
    late = save(client, attempt, "b", seq=2)
    # not an error the client must retry: it is told a newer answer is stored
    assert late.status_code == 200
    body = late.json()
    assert (body["saved"], body["stale"], body["seq"]) == (False, True, 3)
    item = attempt.items.get(position=1)
    assert (item.response, item.saved_seq) == (["c"], 3)


def test_a_stale_second_tab_never_overwrites_the_newer_answer(world, client):
    attempt = start(client, world)
    # tab A autosaved twice; tab B was opened before and still numbers from 1
    save(client, attempt, "b", seq=6)
    save(client, attempt, "c", seq=7)
    stale = save(client, attempt, "a", seq=5)
    assert stale.json()["stale"] is True
    # tab B's plain form post is refused with a message and leaves the answer alone too
    page = client.post(url(attempt), {"answer": token(attempt, 1, "a"), "seq": 1}, follow=True)
    assert "cũ hơn" in page.content.decode()
    assert attempt.items.get(position=1).response == ["c"]


def test_a_save_within_the_grace_period_is_accepted(world, client, settings):
    settings.ATTEMPT_GRACE_SECONDS = 30
    attempt = start(client, world)
    overdue(attempt, 10)
    body = save(client, attempt, "b", seq=1).json()
    assert body["saved"] is True and body["remaining_seconds"] == 0


def test_a_late_save_is_refused_and_the_attempt_is_closed_with_what_was_saved(
    world, client, settings
):
    settings.ATTEMPT_GRACE_SECONDS = 30
    attempt = start(client, world)
    items = list(attempt.items.select_related("question_version"))
    for seq, item in enumerate(items, 1):
        attempt_save_answer(attempt=attempt, item=item, response=correct_response(item), seq=seq)
    overdue(attempt, 31)
    late = save(client, attempt, "b" if correct_response(items[0]) == ["a"] else "a", seq=99)
    assert late.status_code == 410
    body = late.json()
    assert body["closed"] is True and body["saved"] is False
    assert "hết thời gian" in body["error"].lower()
    assert body["result_url"] == reverse("assessments:result", args=[attempt.pk])
    attempt.refresh_from_db()
    # closed lazily on this access, graded with the answers saved in time
    assert (attempt.status, attempt.submit_key, attempt.score_percent) == (
        "graded",
        "deadline",
        100,
    )
    assert attempt.items.get(position=1).saved_seq == 1


def test_a_late_plain_form_post_says_the_answer_was_not_saved(world, client, settings):
    settings.ATTEMPT_GRACE_SECONDS = 30
    attempt = start(client, world)
    overdue(attempt, 31)
    page = client.post(
        url(attempt), {"answer": token(attempt, 1, "a"), "seq": 1, "go": "next"}, follow=True
    )
    assert page.redirect_chain[-1][0] == reverse("assessments:result", args=[attempt.pk])
    assert "hết thời gian" in page.content.decode().lower()
    assert attempt.items.get(position=1).response is None


def test_a_save_to_a_submitted_attempt_is_refused_with_410(world, client):
    attempt = start(client, world)
    attempt_submit(attempt=attempt, idempotency_key="k")
    response = save(client, attempt, seq=1)
    assert response.status_code == 410 and response.json()["closed"] is True
    assert attempt.items.get(position=1).response is None


def test_a_forged_client_timer_changes_nothing(world, client, settings):
    settings.ATTEMPT_GRACE_SECONDS = 30
    attempt = start(client, world)
    deadline = Attempt.objects.get(pk=attempt.pk).deadline
    forged = {"remaining_seconds": 99999, "deadline": "2099-01-01T00:00:00Z"}
    # time left on the server: a client claiming the time is up does not stop the save
    assert save(client, attempt, seq=1, remaining_seconds=0).json()["saved"] is True
    overdue(attempt, 31)
    # past the deadline on the server: a client claiming lots of time left is still refused
    assert save(client, attempt, "b", seq=2, **forged).status_code == 410
    attempt.refresh_from_db()
    assert attempt.deadline != deadline  # only the test moved it, never the client
    assert attempt.items.get(position=1).response == ["a"]


def test_an_expired_session_gets_json_with_the_login_link_not_a_redirect(world, client):
    attempt = start(client, world)
    client.logout()
    response = save(client, attempt, seq=1)
    assert response.status_code == 401
    body = response.json()
    assert body["login_required"] is True and body["saved"] is False
    assert body["login_url"].startswith(reverse("account_login") + "?next=")
    assert url(attempt).replace("/", "%2F") in body["login_url"]
    assert attempt.items.get(position=1).response is None
    # without JavaScript the same page still sends the officer to the login page
    plain = client.post(url(attempt), {"answer": "a", "seq": 1})
    assert plain.status_code == 302 and reverse("account_login") in plain.url


def test_another_officers_attempt_is_404_for_background_saves_too(world, client):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    other = StaffRecordFactory(org_unit=world.officer.org_unit)
    client.force_login(other.user)
    response = save(client, attempt, seq=1)
    assert response.status_code == 404
    assert response.json()["saved"] is False
    assert client.get(url(attempt), **JSON).status_code == 404
    assert attempt.items.get(position=1).response is None


@pytest.mark.parametrize(
    "bad", [{"answer": "zzz", "seq": 1}, {"answer": "a", "seq": "x"}, {"answer": "a"}]
)
def test_hostile_background_saves_get_a_400_and_write_nothing(world, client, bad):
    attempt = start(client, world)
    response = client.post(url(attempt), bad, **JSON)
    assert response.status_code == 400
    assert response.json()["saved"] is False and response.json()["error"]
    assert attempt.items.get(position=1).response is None


def test_a_background_save_reports_where_the_buttons_lead(world, client):
    attempt = start(client, world)
    body = save(client, attempt, seq=1, go="next").json()
    assert body["next_url"] == url(attempt, 2)
    body = save(client, attempt, seq=2, go="review").json()
    assert body["next_url"] == reverse("assessments:review", args=[attempt.pk])


def test_the_question_page_hands_the_script_the_servers_time_and_sequence(world, client, settings):
    attempt = start(client, world)
    save(client, attempt, seq=41, position=2)
    html = client.get(url(attempt)).content.decode()
    assert 'data-last-seq="41"' in html
    assert "data-remaining=" in html
    assert "js/attempt.js" in html
    # the statuses come translated from the template; the script holds no Vietnamese text
    for state in ("saved", "pending", "offline", "login", "stale", "closed"):
        assert f"data-msg-{state}=" in html
    assert "correct" not in html.lower()
    script = (settings.BASE_DIR / "static" / "js" / "attempt.js").read_bytes()
    # the budget is 30 KB of JavaScript on a first visit (later visits hit the cache); the
    # script also carries offline answering, so hold it well inside that, raw and compressed
    assert script.isascii() and len(script) <= 20 * 1024
    assert len(gzip.compress(script)) <= 8 * 1024


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_grade_once(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    for seq, item in enumerate(attempt.items.select_related("question_version"), 1):
        attempt_save_answer(attempt=attempt, item=item, response=correct_response(item), seq=seq)

    def submit(key):
        try:
            return attempt_submit(attempt=attempt, idempotency_key=key).submit_key
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        keys = set(pool.map(submit, [f"k{i}" for i in range(5)]))
    assert len(keys) == 1
    assert CompetencyRecord.objects.filter(staff=world.officer).count() == 1


def test_the_question_page_stays_light(world, client, settings):
    # DESIGN §6: a later learner page at most 15 kB; the stylesheet is cached by then
    attempt = start(client, world)
    html = client.get(url(attempt)).content
    script = (settings.BASE_DIR / "static" / "js" / "attempt.js").read_bytes()
    assert len(gzip.compress(html, 9)) + len(gzip.compress(script, 9)) <= 15_000


def test_an_absurd_sequence_number_is_refused_and_does_not_freeze_the_answer(world, client):
    attempt = start(client, world)
    assert save(client, attempt, "b", seq=3).json()["saved"] is True
    forged = save(client, attempt, "a", seq=2**31 - 1)
    assert forged.status_code == 409
    body = forged.json()
    assert (body["saved"], body["resequence"], body["seq"]) == (False, True, 3)
    assert body["error"]
    item = attempt.items.get(position=1)
    assert (item.response, item.saved_seq) == (["b"], 3)
    # the officer's next ordinary save still wins
    assert save(client, attempt, "c", seq=4).json()["saved"] is True
    assert attempt.items.get(position=1).response == ["c"]


def test_a_device_that_counted_many_changes_offline_still_saves(world, client):
    """One counter per attempt: thousands of changes while offline are still within reach."""
    attempt = start(client, world)
    assert save(client, attempt, "b", seq=5).json()["saved"] is True
    assert save(client, attempt, "a", seq=5 + 9_000, position=2).json()["saved"] is True
    assert save(client, attempt, "a", seq=5 + 9_000 + 9_000, position=3).json()["saved"] is True


def test_the_sequence_window_is_counted_from_the_attempts_highest_save(world):
    from assessments.services import SEQ_WINDOW, SequenceAheadError

    attempt = attempt_start(exam=world.exam, staff=world.officer)
    first, second = attempt.items.select_related("question_version__question")[:2]
    attempt_save_answer(attempt=attempt, item=first, response=["a"], seq=SEQ_WINDOW)
    # within the window of the highest number saved in the attempt, on any item
    attempt_save_answer(attempt=attempt, item=second, response=["a"], seq=2 * SEQ_WINDOW)
    with pytest.raises(SequenceAheadError) as refused:
        attempt_save_answer(attempt=attempt, item=first, response=["b"], seq=3 * SEQ_WINDOW + 1)
    assert refused.value.seq == 2 * SEQ_WINDOW
    assert attempt.items.get(pk=first.pk).response == ["a"]


def test_a_plain_form_post_with_an_absurd_sequence_number_says_so(world, client):
    attempt = start(client, world)
    page = client.post(
        url(attempt), {"answer": token(attempt, 1, "a"), "seq": 2**31 - 1}, follow=True
    )
    assert "không đúng thứ tự" in page.content.decode()
    assert attempt.items.get(position=1).response is None
