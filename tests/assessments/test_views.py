import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt
from assessments.services import attempt_start
from tests.assessments.tokens import item_token, token
from tests.staff.factories import StaffRecordFactory


def start(client, world):
    client.force_login(world.officer.user)
    response = client.post(reverse("assessments:start", args=[world.exam.pk]))
    return Attempt.objects.get(pk=int(response.url.split("/")[2]))


def test_the_question_page_never_contains_the_key(world, client):
    attempt = start(client, world)
    for item in attempt.items.all():
        html = client.get(reverse("assessments:question", args=[attempt.pk, item.position]))
        text = html.content.decode()
        assert "correct" not in text.lower()
        # every option is offered, in the attempt's shuffled order, by its item's token only
        values = re.findall(r'name="answer" value="([^"]+)"', text)
        assert values == [item_token(item, key) for key in item.option_order]
        assert not set(values) & set(item.option_order)


def test_a_question_page_is_at_most_5_queries_whatever_the_number_of_questions(
    world, client, django_assert_max_num_queries
):
    attempt = start(client, world)
    url = reverse("assessments:question", args=[attempt.pk, 3])
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


def test_saving_an_answer_through_the_form_posts_once_and_moves_on(world, client):
    attempt = start(client, world)
    url = reverse("assessments:question", args=[attempt.pk, 1])
    a = token(attempt, 1, "a")
    response = client.post(url, {"answer": a, "seq": 1, "go": "next"})
    assert response.url == reverse("assessments:question", args=[attempt.pk, 2])
    again = client.post(url, {"answer": a, "seq": 1, "go": "next"})  # a flaky-link repeat
    assert again.url == response.url
    assert attempt.items.get(position=1).response == ["a"]


def test_a_stale_form_post_is_refused_with_a_message(world, client):
    attempt = start(client, world)
    url = reverse("assessments:question", args=[attempt.pk, 1])
    client.post(url, {"answer": token(attempt, 1, "b"), "seq": 2})
    response = client.post(url, {"answer": token(attempt, 1, "a"), "seq": 1}, follow=True)
    assert "cũ hơn" in response.content.decode()
    assert attempt.items.get(position=1).response == ["b"]


@pytest.mark.parametrize("bad", [{"answer": "zzz", "seq": 1}, {"answer": "a", "seq": "x"}, {}])
def test_hostile_answer_posts_never_500_and_never_write(world, client, bad):
    attempt = start(client, world)
    url = reverse("assessments:question", args=[attempt.pk, 1])
    response = client.post(url, bad)
    assert response.status_code in (200, 302)
    assert attempt.items.get(position=1).response is None


def test_an_officer_never_sees_another_officers_attempt(world, client):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    other = StaffRecordFactory(org_unit=world.officer.org_unit)
    client.force_login(other.user)
    for name, args in [
        ("assessments:question", [attempt.pk, 1]),
        ("assessments:review", [attempt.pk]),
        ("assessments:result", [attempt.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    assert (
        client.post(
            reverse("assessments:submit", args=[attempt.pk]), {"idempotency_key": "x"}
        ).status_code
        == 404
    )


def test_anonymous_users_are_sent_to_log_in(world, client):
    response = client.get(reverse("assessments:exam", args=[world.exam.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_submitting_twice_through_the_form_yields_one_result(world, client):
    attempt = start(client, world)
    url = reverse("assessments:submit", args=[attempt.pk])
    first = client.post(url, {"idempotency_key": "abc"})
    second = client.post(url, {"idempotency_key": "abc"})
    assert first.url == second.url == reverse("assessments:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.submit_key == "abc"


@pytest.mark.parametrize("key", ["", "x" * 65], ids=["missing", "too long"])
def test_an_unreadable_submission_submits_nothing_and_says_so(world, client, key):
    attempt = start(client, world)
    response = client.post(
        reverse("assessments:submit", args=[attempt.pk]), {"idempotency_key": key}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("assessments:review", args=[attempt.pk])
    assert "Không đọc được bài nộp. Vui lòng nộp lại." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


def test_the_exam_page_grades_an_attempt_left_open_past_its_deadline(world, client):
    attempt = start(client, world)
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - timedelta(hours=1), deadline=now - timedelta(minutes=5)
    )
    page = client.get(reverse("assessments:exam", args=[world.exam.pk])).content.decode()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.submit_key == "deadline"
    assert reverse("assessments:result", args=[attempt.pk]) in page


def _submit_buttons(html: str) -> list[str]:
    form = html[html.index('id="answer-form"') :]
    return re.findall(r'<button type="submit" name="go" value="([a-z]+)"', form)


def test_enter_in_an_answer_moves_forward_because_next_is_the_first_submit_button(world, client):
    """Browsers submit a form on Enter with its first submit button."""
    attempt = start(client, world)
    for position in (1, 2, attempt.question_count):
        html = client.get(reverse("assessments:question", args=[attempt.pk, position]))
        buttons = _submit_buttons(html.content.decode())
        assert buttons[0] == "next", (position, buttons)
        assert ("previous" in buttons) == (position > 1)


def test_the_question_page_has_one_h1(world, client):
    attempt = start(client, world)
    html = client.get(reverse("assessments:question", args=[attempt.pk, 2])).content.decode()
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert f"<h1>{world.exam.title}</h1>" in html


def test_without_javascript_the_question_page_shows_the_time_left(world, client):
    attempt = start(client, world)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timedelta(minutes=11, seconds=30)
    )
    html = client.get(reverse("assessments:question", args=[attempt.pk, 1])).content.decode()
    timer = re.search(r"<p data-timer([^>]*)>([^<]*)</p>", html)
    assert timer and "hidden" not in timer.group(1)
    assert timer.group(2) == "Còn 12 phút"


def _exam_page(client, world) -> str:
    client.force_login(world.officer.user)
    return client.get(reverse("assessments:exam", args=[world.exam.pk])).content.decode()


def test_the_exam_page_offers_to_continue_an_attempt_in_progress(world, client):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    html = _exam_page(client, world)
    assert "Tiếp tục làm bài" in html
    assert reverse("assessments:question", args=[attempt.pk, 1]) in html
    assert reverse("assessments:start", args=[world.exam.pk]) not in html


def test_the_exam_page_is_locked_when_the_attempts_are_used_up(world, client):
    from assessments.services import attempt_submit

    for n in range(world.exam.max_attempts):
        attempt_submit(
            attempt=attempt_start(exam=world.exam, staff=world.officer), idempotency_key=f"k{n}"
        )
    html = _exam_page(client, world)
    assert reverse("assessments:start", args=[world.exam.pk]) not in html
    assert "data-exam-locked" in html
    assert "Số lần đã làm bài: 3/3" in html


def test_the_exam_page_says_when_the_next_attempt_may_start(world, client):
    from assessments.services import attempt_submit

    world.exam.cooldown_minutes = 60
    world.exam.save()
    attempt = attempt_submit(
        attempt=attempt_start(exam=world.exam, staff=world.officer), idempotency_key="k"
    )
    html = _exam_page(client, world)
    assert reverse("assessments:start", args=[world.exam.pk]) not in html
    ready = timezone.localtime(attempt.submitted_at + timedelta(minutes=60))
    assert ready.strftime("%H:%M %d/%m/%Y") in html


def test_the_exam_page_is_locked_until_the_course_is_finished(world, client):
    from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, site_home

    world.exam.course = CoursePageFactory(parent=CourseIndexPageFactory(parent=site_home()))
    world.exam.requires_course_completion = True
    world.exam.save()
    html = _exam_page(client, world)
    assert reverse("assessments:start", args=[world.exam.pk]) not in html
    assert "hoàn thành khóa học" in html


def test_my_page_offers_to_continue_an_exam_after_a_new_sign_in(world, client):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    client.force_login(world.officer.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Tiếp tục làm bài" in html
    assert reverse("assessments:question", args=[attempt.pk, 1]) in html
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - timedelta(hours=2), deadline=now - timedelta(hours=1)
    )
    assert "Tiếp tục làm bài" not in client.get(reverse("dashboard")).content.decode()
