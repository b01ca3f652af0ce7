from hypothesis import given
from hypothesis import strategies as st

from assessments.grading import item_score, response_is_valid, scores_by_competency

OPTIONS = [
    {"key": "a", "text": "A", "correct": True},
    {"key": "b", "text": "B", "correct": True},
    {"key": "c", "text": "C", "correct": False},
    {"key": "d", "text": "D", "correct": False},
]


def test_single_choice_is_all_or_nothing():
    single = [{"key": "a", "correct": True}, {"key": "b", "correct": False}]
    assert item_score(qtype="single", options=single, response=["a"]) == 1.0
    assert item_score(qtype="single", options=single, response=["b"]) == 0.0
    assert item_score(qtype="single", options=single, response=None) == 0.0


def test_multiple_choice_gives_partial_credit_and_penalises_wrong_picks():
    assert item_score(qtype="multiple", options=OPTIONS, response=["a", "b"]) == 1.0
    assert item_score(qtype="multiple", options=OPTIONS, response=["a"]) == 0.5
    assert item_score(qtype="multiple", options=OPTIONS, response=["a", "c"]) == 0.0
    assert item_score(qtype="multiple", options=OPTIONS, response=["a", "b", "c", "d"]) == 0.0


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True))
def test_a_multiple_choice_score_is_always_between_0_and_1(response):
    assert 0.0 <= item_score(qtype="multiple", options=OPTIONS, response=response) <= 1.0


def test_responses_must_name_existing_options_once():
    assert response_is_valid(qtype="multiple", options=OPTIONS, response=["a", "b"])
    assert not response_is_valid(qtype="multiple", options=OPTIONS, response=["a", "a"])
    assert not response_is_valid(qtype="multiple", options=OPTIONS, response=["z"])
    assert not response_is_valid(qtype="single", options=OPTIONS, response=["a", "b"])
    assert response_is_valid(qtype="single", options=OPTIONS, response=[])


def test_scores_are_aggregated_per_competency():
    scores = scores_by_competency([("MET-01", 1.0), ("MET-01", 0.0), ("IP-01", 1.0)])
    assert scores == {"MET-01": 50.0, "IP-01": 100.0}
