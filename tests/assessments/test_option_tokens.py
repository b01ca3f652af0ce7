"""Choice inputs carry per-item opaque tokens, never the bank's option keys: neither the values,
their sort order nor their place on the page says which option is right, even when the bank
lists the right one first (as the demo bank and many imports do)."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from assessments.forms import AnswerForm, option_token
from assessments.grading import item_score
from assessments.models import Attempt, AttemptItem
from assessments.services import attempt_start, attempt_submit
from tests.assessments.tokens import item_token, token

DRAWS = 200
# chi-square with 2 degrees of freedom (three options): exceeded by chance once in 1000 runs
CHI2_2DF_P001 = 13.82


def chi_square(counts: Counter, cells: int) -> float:
    total = sum(counts.values())
    expected = total / cells
    return sum((counts.get(c, 0) - expected) ** 2 / expected for c in range(cells))


def _draw(world, n):
    """n attempts of the world's exam (five single-choice questions, the right key "a" listed
    first in the bank), each deleted after reading, with each item's choices as the page has
    them: [(token, key), ...] in display order."""
    Attempt.objects.filter(exam=world.exam).delete()
    drawn = []
    for _ in range(n):
        attempt = attempt_start(exam=world.exam, staff=world.officer)
        for item in attempt.items.select_related("question_version__question"):
            form = AnswerForm(item=item)
            choices = [value for value, _label in form.fields["answer"].choices]
            keys = [form.key_for_token[value] for value in choices]
            drawn.append((item, choices, keys))
        Attempt.objects.filter(pk=attempt.pk).delete()
    return drawn


@pytest.fixture
def draws(world):
    return _draw(world, DRAWS)


def test_the_right_options_place_on_the_page_is_uniform(draws):
    places = Counter(keys.index("a") for _item, _choices, keys in draws)
    assert chi_square(places, 3) < CHI2_2DF_P001, places


def test_the_right_options_token_sorts_anywhere_among_the_tokens(draws):
    ranks = Counter(sorted(choices).index(choices[keys.index("a")]) for _i, choices, keys in draws)
    assert chi_square(ranks, 3) < CHI2_2DF_P001, ranks


def test_tokens_are_opaque_and_never_repeat_across_attempt_items(draws):
    right_tokens = [choices[keys.index("a")] for _item, choices, keys in draws]
    assert len(set(right_tokens)) == len(right_tokens)
    for _item, choices, keys in draws:
        assert len(set(choices)) == len(choices)
        assert not set(choices) & set(keys)
        assert all(re.fullmatch(r"[0-9a-f]{12}", c) for c in choices)


def test_answering_the_first_place_or_the_first_token_everywhere_does_not_pass(draws):
    first_place = [
        item_score(qtype="single", options=i.question_version.options, response=[keys[0]])
        for i, _c, keys in draws
    ]
    first_token = [
        item_score(
            qtype="single",
            options=i.question_version.options,
            response=[keys[choices.index(min(choices))]],
        )
        for i, choices, keys in draws
    ]
    for scores in (first_place, first_token):
        # a third right on average; far below the pass mark of 70 %
        assert 0.2 < sum(scores) / len(scores) < 0.45


def test_a_token_is_the_same_for_every_render_and_post_of_its_item(world, client):
    client.force_login(world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = attempt.items.get(position=1)
    url = reverse("assessments:question", args=[attempt.pk, 1])
    first = re.findall(r'name="answer" value="([^"]+)"', client.get(url).content.decode())
    again = re.findall(r'name="answer" value="([^"]+)"', client.get(url).content.decode())
    assert first == again == [item_token(item, k) for k in item.option_order]
    # the saved answer is stored by the bank's key and shown back as the token
    client.post(url, {"answer": token(attempt, 1, "b"), "seq": 1})
    assert AttemptItem.objects.get(pk=item.pk).response == ["b"]
    page = client.get(url).content.decode()
    assert f'value="{item_token(item, "b")}" id="id_answer_' in page
    assert re.search(rf'value="{item_token(item, "b")}" id="id_answer_\d+" checked>', page)


def test_posting_the_banks_key_or_another_items_token_saves_nothing(world, client):
    client.force_login(world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    url = reverse("assessments:question", args=[attempt.pk, 1])
    other = attempt.items.get(position=2)
    for value in ("a", option_token(item_id=other.pk, key="a")):
        client.post(url, {"answer": value, "seq": 1})
    assert attempt.items.get(position=1).response is None


def test_answering_a_everywhere_through_the_page_no_longer_passes(world, client):
    """The report's exploit: post the bank's first key to every question and submit."""
    client.force_login(world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    for position in range(1, attempt.question_count + 1):
        url = reverse("assessments:question", args=[attempt.pk, position])
        client.post(url, {"answer": "a", "seq": position})
    attempt_submit(attempt=attempt, idempotency_key="k")
    attempt.refresh_from_db()
    assert attempt.score_percent == 0 and not attempt.passed
