"""Every question of an open attempt in one reply (attempt.js keeps them to answer offline):
the same parts the question pages show, nothing of the key, in a constant number of queries."""

import re

from django.urls import reverse

from assessments.services import attempt_start, attempt_submit
from assessments.version_cache import forget_all_question_versions
from tests.assessments.factories import BlueprintCellFactory, QuestionFactory
from tests.assessments.tokens import item_token
from tests.staff.factories import StaffRecordFactory

JSON = {"HTTP_ACCEPT": "application/json"}


def _url(attempt):
    return reverse("assessments:questions", args=[attempt.pk])


def test_every_question_comes_in_one_reply_as_its_page_shows_it(world, client):
    client.force_login(world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    response = client.get(_url(attempt), **JSON)
    assert response.status_code == 200
    pages = response.json()["pages"]
    items = list(attempt.items.order_by("position"))
    assert [p["n"] for p in pages] == [i.position for i in items]
    for page, item in zip(pages, items, strict=True):
        assert page["h"].startswith(f'<div data-question="{item.position}"')
        assert f"{item.position}/{len(items)}" in page["h"]
        values = re.findall(r'name="answer" value="([^"]+)"', page["h"])
        assert values == [item_token(item, k) for k in item.option_order]
        assert "correct" not in page["h"].lower()
        assert world.exam.title in page["t"]
        # the same markup as the question page's own part
        html = client.get(reverse("assessments:question", args=[attempt.pk, item.position]))
        assert page["h"] in html.content.decode()


def test_the_question_page_tells_the_script_where_to_fetch_them(world, client):
    client.force_login(world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    html = client.get(reverse("assessments:question", args=[attempt.pk, 1])).content.decode()
    assert f'data-questions="{_url(attempt)}"' in html


def test_all_questions_are_at_most_5_queries_whatever_the_exam_size(
    world, client, django_assert_max_num_queries
):
    exam = world.exam
    exam.blueprint.all().delete()
    QuestionFactory.create_batch(60, competency=world.competency)
    BlueprintCellFactory(exam=exam, competency=world.competency, count=60)
    attempt = attempt_start(exam=exam, staff=world.officer)
    client.force_login(world.officer.user)
    client.get(reverse("assessments:question", args=[attempt.pk, 1]))
    forget_all_question_versions()  # cold: no version kept by this process yet
    with django_assert_max_num_queries(5):
        response = client.get(_url(attempt), **JSON)
    assert len(response.json()["pages"]) == 60


def test_a_closed_attempt_or_another_officers_gives_no_questions(world, client):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    other = StaffRecordFactory(org_unit=world.officer.org_unit)
    client.force_login(other.user)
    assert client.get(_url(attempt), **JSON).status_code == 404
    client.force_login(world.officer.user)
    attempt_submit(attempt=attempt, idempotency_key="k")
    closed = client.get(_url(attempt), **JSON)
    assert closed.status_code == 410 and "pages" not in closed.json()
