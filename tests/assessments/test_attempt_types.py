"""An attempt with one question of every type: each renders as plain HTML inputs, saves through
the form, refuses what the page could not send, grades, and never shows its key."""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from assessments.grading import matching_answer_texts
from assessments.models import Attempt, AttemptItem, Exam
from assessments.services import attempt_start
from tests.assessments.factories import BlueprintCellFactory, ExamFactory, QuestionFactory
from tests.assessments.tokens import item_token
from tests.competencies.factories import CompetencyFactory

EXPLANATION = "GIẢI-THÍCH-KÍN"
SECRETS = [
    "correct",
    "fraction",
    "feedback",
    "PHẢN-HỒI-KÍN",
    EXPLANATION,
    "7.3125",
    "7,3125",
    "0.0625",
    "7312.5",
    "MẬT-ĐÁP-ÁN",
    "mật-đáp-án",
]
# the bank's pair keys: the page names prompts and answers by their place only
PAIR_KEY = re.compile(r"\bp[1-3]\b")
# a choice input carrying the bank's option key instead of the item's token
CHOICE_KEY = re.compile(r'value=\\?"(?:[a-e]|true|false)\\?"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

PAYLOADS = {
    "single": {
        "options": [
            {"key": "a", "text": "Lựa chọn A", "correct": True, "feedback": "PHẢN-HỒI-KÍN 1"},
            {"key": "b", "text": "Lựa chọn B", "correct": False, "feedback": "PHẢN-HỒI-KÍN 2"},
            {"key": "c", "text": "Lựa chọn C", "correct": False},
        ]
    },
    "multiple": {
        "options": [
            {"key": "a", "text": "Chọn A", "correct": True, "fraction": 0.5},
            {"key": "b", "text": "Chọn B", "correct": True, "fraction": 0.5},
            {"key": "c", "text": "Chọn C", "correct": False, "fraction": -1},
        ]
    },
    "truefalse": {
        "options": [
            {"key": "true", "text": "Đúng", "correct": True},
            {"key": "false", "text": "Sai", "correct": False, "feedback": "PHẢN-HỒI-KÍN 3"},
        ]
    },
    "numeric": {
        "data": {
            "answers": [
                {"value": 7.3125, "tolerance": 0.0625, "fraction": 1, "feedback": "PHẢN-HỒI-KÍN"}
            ],
            "units": [{"unit": "kg", "multiplier": 1}, {"unit": "g", "multiplier": 1000}],
            "unit_required": True,
        }
    },
    "shorttext": {
        "data": {
            "answers": [{"text": "MẬT-ĐÁP-ÁN", "fraction": 1, "feedback": "PHẢN-HỒI-KÍN"}],
            "case_sensitive": False,
            "ignore_diacritics": True,
        }
    },
    "matching": {
        "data": {
            "pairs": [
                {"key": "p1", "prompt": "Cân phân tích", "answer": "Cấp I"},
                {"key": "p2", "prompt": "Cân kỹ thuật", "answer": "Cấp II"},
                {"key": "p3", "prompt": "Cân thông dụng", "answer": "Cấp III"},
            ],
            "distractors": ["Cấp IV"],
        }
    },
}


@dataclass
class Mixed:
    exam: Exam
    officer: object


@pytest.fixture
def mixed(world) -> Mixed:
    """A practice exam drawing one question of each type, for the officer of `world`."""
    exam = ExamFactory(kind=Exam.Kind.PRACTICE, awarded_level=world.level)
    for qtype, payload in PAYLOADS.items():
        competency = CompetencyFactory(code=f"T-{qtype}")
        QuestionFactory(
            qtype=qtype,
            competency=competency,
            version__options=payload.get("options"),
            version__data=payload.get("data"),
            version__explanation=f"<p>{EXPLANATION}</p>",
        )
        BlueprintCellFactory(exam=exam, competency=competency, count=1)
    return Mixed(exam=exam, officer=world.officer)


def _start(client, mixed) -> Attempt:
    client.force_login(mixed.officer.user)
    response = client.post(reverse("assessments:start", args=[mixed.exam.pk]))
    return Attempt.objects.get(pk=int(response.url.split("/")[2]))


def _items(attempt) -> dict[str, AttemptItem]:
    items = attempt.items.select_related("question_version__question")
    return {item.question_version.question.qtype: item for item in items}


def _url(item) -> str:
    return reverse("assessments:question", args=[item.attempt_id, item.position])


def _right_matching(item) -> dict:
    """The form post that matches every prompt right, as the officer would pick it."""
    data = item.question_version.data
    texts = matching_answer_texts(data)
    key_of_text = {
        texts[index]: str(position)
        for position, index in enumerate(item.option_order["answers"], start=1)
    }
    answers = {p["key"]: p["answer"] for p in data["pairs"]}
    return {
        f"match_{n}": key_of_text[answers[pair]]
        for n, pair in enumerate(item.option_order["prompts"], start=1)
    }


RIGHT_POSTS = {
    "single": lambda item: {"answer": item_token(item, "a")},
    "multiple": lambda item: {"answer": [item_token(item, "a"), item_token(item, "b")]},
    "truefalse": lambda item: {"answer": item_token(item, "true")},
    "numeric": lambda item: {"answer": "7312,5", "unit": "g"},
    "shorttext": lambda item: {"answer": "  mat-dap-an "},
    "matching": _right_matching,
}


def test_every_type_renders_as_plain_inputs(mixed, client):
    items = _items(_start(client, mixed))
    pages = {qtype: client.get(_url(item)).content.decode() for qtype, item in items.items()}
    assert 'type="radio"' in pages["single"] and 'type="radio"' in pages["truefalse"]
    assert 'type="checkbox"' in pages["multiple"]
    assert 'inputmode="decimal"' in pages["numeric"]
    assert '<select name="unit"' in pages["numeric"]
    assert 'name="answer"' in pages["shorttext"] and 'type="text"' in pages["shorttext"]
    assert pages["matching"].count('<select name="match_') == 3
    for prompt in ("Cân phân tích", "Cân kỹ thuật", "Cân thông dụng"):
        assert prompt in pages["matching"]


def test_matching_answers_are_offered_the_same_way_under_every_prompt(mixed, client):
    item = _items(_start(client, mixed))["matching"]
    page = client.get(_url(item)).content.decode()
    selects = re.findall(r"<select name=\"(match_\d)\"[^>]*>(.*?)</select>", page, re.DOTALL)
    assert [name for name, _ in selects] == ["match_1", "match_2", "match_3"]
    # one and the same list of (key, text) under every prompt, keyed 1..n, nothing selected
    lists = {body for _, body in selects}
    assert len(lists) == 1
    keys = re.findall(r'<option value="([^"]*)"', lists.pop())
    assert keys == ["", "1", "2", "3", "4"]
    assert not re.search(r'<option value="\d+" selected', page)


def test_matching_answers_are_shuffled_whatever_the_exam_says(mixed, client):
    mixed.exam.shuffle_options = False
    mixed.exam.save()
    orders = set()
    for _ in range(8):
        attempt = attempt_start(exam=mixed.exam, staff=mixed.officer)
        orders.add(tuple(_items(attempt)["matching"].option_order["answers"]))
        Attempt.objects.filter(pk=attempt.pk).delete()
    assert len(orders) > 1


def test_no_attempt_page_ever_contains_the_key_fractions_or_feedback(mixed, client):
    attempt = _start(client, mixed)
    items = _items(attempt)
    urls = [reverse("assessments:exam", args=[mixed.exam.pk])]
    urls += [_url(item) for item in items.values()]
    urls.append(reverse("assessments:review", args=[attempt.pk]))
    pages = [client.get(url) for url in urls]
    # and again with every answer saved, which the pages then show back
    for qtype, item in items.items():
        posted = client.post(_url(item), {**RIGHT_POSTS[qtype](item), "seq": 1, "go": "next"})
        assert posted.status_code == 302
    pages += [client.get(url) for url in urls]
    # the background saves and the JSON state attempt.js asks for, too
    json = {"HTTP_ACCEPT": "application/json"}
    for qtype, item in items.items():
        saved = client.post(_url(item), {**RIGHT_POSTS[qtype](item), "seq": 2}, **json)
        assert saved.json()["saved"] is True, qtype
        pages += [saved, client.get(_url(item), **json)]
    # every question at once, as attempt.js keeps them to answer offline
    pages.append(client.get(reverse("assessments:questions", args=[attempt.pk]), **json))
    pages.append(client.post(_url(items["single"]), {"answer": "zz", "seq": 3}, **json))
    for response in pages:
        text = CSRF.sub("", response.content.decode())
        leaked = [s for s in SECRETS if s.lower() in text.lower()]
        leaked += PAIR_KEY.findall(text)
        leaked += CHOICE_KEY.findall(text)
        assert not leaked, f"{response.request['PATH_INFO']} shows {leaked}"


def test_right_answers_of_every_type_save_and_grade_to_full_marks(mixed, client):
    attempt = _start(client, mixed)
    items = _items(attempt)
    for qtype, item in items.items():
        response = client.post(_url(item), {**RIGHT_POSTS[qtype](item), "seq": 1, "go": "next"})
        assert response.status_code == 302, (qtype, response.content.decode()[:2000])
    saved = _items(attempt)
    assert saved["numeric"].response == {"value": "7312,5", "unit": "g"}
    assert saved["shorttext"].response == {"text": "mat-dap-an"}
    assert set(saved["matching"].response) == {"p1", "p2", "p3"}
    client.post(reverse("assessments:submit", args=[attempt.pk]), {"idempotency_key": "k"})
    attempt.refresh_from_db()
    assert attempt.score_percent == 100
    assert {i.score for i in attempt.items.all()} == {1.0}


def test_a_saved_answer_of_every_type_is_shown_again(mixed, client):
    attempt = _start(client, mixed)
    items = _items(attempt)
    for qtype, item in items.items():
        client.post(_url(item), {**RIGHT_POSTS[qtype](item), "seq": 1, "go": "next"})
    numeric = client.get(_url(items["numeric"])).content.decode()
    assert 'value="7312,5"' in numeric
    assert '<option value="g" selected>' in numeric
    assert 'value="mat-dap-an"' in client.get(_url(items["shorttext"])).content.decode()
    matching = client.get(_url(items["matching"])).content.decode()
    assert len(re.findall(r'<option value="\d" selected>', matching)) == 3


def test_partial_answers_get_partial_credit(mixed, client):
    attempt = _start(client, mixed)
    items = _items(attempt)
    right = _right_matching(items["matching"])
    client.post(_url(items["matching"]), {"match_1": right["match_1"], "seq": 1})
    client.post(_url(items["multiple"]), {"answer": [item_token(items["multiple"], "a")], "seq": 1})
    client.post(_url(items["numeric"]), {"answer": "7,3125", "seq": 1})  # unit left out
    client.post(reverse("assessments:submit", args=[attempt.pk]), {"idempotency_key": "k"})
    scores = {qtype: item.score for qtype, item in _items(attempt).items()}
    assert scores["matching"] == pytest.approx(1 / 3)
    assert scores["multiple"] == 0.5
    assert scores["numeric"] == 0.0  # the unit is required


@pytest.mark.parametrize(
    "qtype,post",
    [
        ("numeric", {"answer": "bảy phẩy ba"}),
        ("numeric", {"answer": "7,3", "unit": "tấn"}),
        ("numeric", {"answer": "9" * 200}),
        ("shorttext", {"answer": "x" * 5000}),
        ("matching", {"match_1": "99"}),
        ("matching", {"match_1": "p1"}),
        ("truefalse", {"answer": "maybe"}),
        ("multiple", {"answer": ["a", "zzz"]}),
        ("single", {"answer": "a"}),  # the bank's key is not an answer the page offers
    ],
)
def test_hostile_posts_of_every_type_never_500_and_never_write(mixed, client, qtype, post):
    item = _items(_start(client, mixed))[qtype]
    response = client.post(_url(item), {**post, "seq": 1})
    assert response.status_code in (200, 302)
    assert AttemptItem.objects.get(pk=item.pk).response is None


def test_unknown_fields_are_ignored(mixed, client):
    item = _items(_start(client, mixed))["matching"]
    client.post(_url(item), {"p1": "1", "match_9": "1", "seq": 1})
    assert AttemptItem.objects.get(pk=item.pk).response is None


def test_question_pages_of_every_type_are_at_most_5_queries(
    mixed, client, django_assert_max_num_queries
):
    items = _items(_start(client, mixed))
    for item in items.values():
        with django_assert_max_num_queries(5):
            assert client.get(_url(item)).status_code == 200


def test_starting_a_mixed_attempt_is_at_most_10_queries(mixed, django_assert_max_num_queries):
    # 11: the positions allowed to take the exam are one query of their own
    with django_assert_max_num_queries(10):
        attempt_start(exam=mixed.exam, staff=mixed.officer)


@pytest.mark.parametrize("policy", ["nothing", "score", "right_wrong"])
def test_the_result_pages_show_no_key_until_the_review_policy_allows(mixed, client, policy):
    """The leak scan of the pages after submitting, for each review policy short of "full"
    (nothing answered, so no answer of the officer's coincides with the key)."""
    Exam.objects.filter(pk=mixed.exam.pk).update(
        review_after_submit=policy, review_after_close="full"
    )
    attempt = _start(client, mixed)
    client.post(reverse("assessments:submit", args=[attempt.pk]), {"idempotency_key": "k"})
    urls = [
        reverse("assessments:result", args=[attempt.pk]),
        reverse("assessments:exam", args=[mixed.exam.pk]),
        reverse("assessments:review", args=[attempt.pk]),  # redirects to the result
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200
        text = CSRF.sub("", response.content.decode())
        leaked = [s for s in SECRETS if s.lower() in text.lower()]
        leaked += PAIR_KEY.findall(text)
        leaked += CHOICE_KEY.findall(text)
        assert not leaked, f"{url} ({policy}) shows {leaked}"
    # and once the policy says "full", the same page shows the explanation
    Exam.objects.filter(pk=mixed.exam.pk).update(review_after_submit="full")
    page = client.get(urls[0]).content.decode()
    assert EXPLANATION in page
