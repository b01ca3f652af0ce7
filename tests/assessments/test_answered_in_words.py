"""Which questions are answered is said in words, not only by the links' colour (WCAG 1.4.1, Use
of Color): on the question page's navigation and on the review page, in Vietnamese; attempt.js
gets the same words to mark a link it saves in the background."""

import re

import pytest
from django.urls import reverse

from assessments.services import attempt_start
from tests.assessments.tokens import token

JSON = {"HTTP_ACCEPT": "application/json"}
ANSWERED = '<span class="qstate">, đã trả lời</span>'


@pytest.fixture
def attempt(world, client):
    client.force_login(world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    question_2 = reverse("assessments:question", args=[attempt.pk, 2])
    saved = client.post(question_2, {"answer": token(attempt, 2, "a"), "seq": 1}, **JSON)
    assert saved.status_code == 200, saved.content
    return attempt


def links(html: str) -> dict[str, str]:
    """Each question link's number -> what follows it inside the link."""
    nav = html[html.index('<ol class="qnav">') : html.index("</ol>")]
    return dict(re.findall(r'<a href="[^"]+/(\d+)/"[^>]*>\d+(.*?)</a>', nav))


def test_the_question_page_says_which_questions_are_answered(attempt, client):
    html = client.get(reverse("assessments:question", args=[attempt.pk, 1])).content.decode()
    found = links(html)
    assert found.pop("2") == ANSWERED
    assert set(found.values()) == {""}
    assert 'data-msg-answered=", đã trả lời"' in html  # for attempt.js


def test_the_review_page_says_which_questions_are_answered(attempt, client):
    html = client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    found = links(html)
    assert found.pop("2") == ANSWERED
    assert set(found.values()) == {""}
