"""The scoring rules of every question type, and that no response can crash them."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.grading import (
    item_score,
    matching_answer_texts,
    parse_number,
    response_is_valid,
    scores_by_competency,
)

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


# --- choice fractions ------------------------------------------------------------------------

FRACTIONS = [
    {"key": "a", "text": "A", "correct": True, "fraction": 0.5},
    {"key": "b", "text": "B", "correct": True, "fraction": 0.5},
    {"key": "c", "text": "C", "correct": False, "fraction": -1.0},
]


def test_moodle_fractions_are_summed_and_clamped_when_present():
    assert item_score(qtype="multiple", options=FRACTIONS, response=["a", "b"]) == 1.0
    assert item_score(qtype="multiple", options=FRACTIONS, response=["a"]) == 0.5
    assert item_score(qtype="multiple", options=FRACTIONS, response=["a", "c"]) == 0.0
    single = [
        {"key": "a", "correct": True, "fraction": 1.0},
        {"key": "b", "correct": False, "fraction": 0.3},
    ]
    assert item_score(qtype="single", options=single, response=["b"]) == 0.3


# --- numeric ---------------------------------------------------------------------------------

NUMERIC = {
    "answers": [
        {"value": 2.5, "tolerance": 0.05, "fraction": 1.0, "feedback": ""},
        {"value": 25, "tolerance": 0, "fraction": 0.5, "feedback": ""},
    ],
    "units": [{"unit": "kg", "multiplier": 1.0}, {"unit": "g", "multiplier": 1000.0}],
    "unit_required": False,
}


def numeric(value, unit="", data=NUMERIC):
    return item_score(
        qtype="numeric", options=[], response={"value": value, "unit": unit}, data=data
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        (" -0,25 ", -0.25),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("2,5e3", 2500.0),
        ("abc", None),
        ("1,2,3.4.5", None),
        ("", None),
        ("nan", None),
        ("inf", None),
        ("1e999", None),
        ("9" * 41, None),
    ],
)
def test_numbers_are_read_as_officers_type_them(text, expected):
    assert parse_number(text) == expected


def test_a_numeric_answer_within_tolerance_scores_with_comma_or_point():
    assert numeric("2,5") == 1.0
    assert numeric("2.54") == 1.0
    assert numeric("2,56") == 0.0
    assert numeric("25") == 0.5  # a partly right answer's fraction


def test_a_unit_divides_the_value_by_its_multiplier():
    assert numeric("2500", "g") == 1.0
    assert numeric("2,5", "kg") == 1.0
    assert numeric("2,5", "g") == 0.0


def test_a_required_unit_left_out_scores_nothing():
    required = {**NUMERIC, "unit_required": True}
    assert numeric("2,5", data=required) == 0.0
    assert numeric("2,5", "kg", data=required) == 1.0


def test_a_tolerance_edge_is_inside_despite_float_representation():
    data = {"answers": [{"value": 0.3, "tolerance": 0.1, "fraction": 1}], "units": []}
    assert numeric("0,4", data=data) == 1.0
    assert numeric("0,2", data=data) == 1.0


# --- short text ------------------------------------------------------------------------------

SHORT = {
    "answers": [
        {"text": "Giấy chứng nhận kiểm định", "fraction": 1.0},
        {"text": "tem*", "fraction": 0.5},
    ],
    "case_sensitive": False,
    "ignore_diacritics": False,
}


def short(text, **flags):
    return item_score(
        qtype="shorttext", options=[], response={"text": text}, data={**SHORT, **flags}
    )


def test_short_text_ignores_case_and_extra_spaces_and_unicode_form():
    assert short("  giấy   CHỨNG nhận kiểm định ") == 1.0
    decomposed = unicodedata.normalize("NFD", "Giấy chứng nhận kiểm định")
    assert short(decomposed) == 1.0


def test_short_text_keeps_diacritics_unless_the_question_ignores_them():
    assert short("giay chung nhan kiem dinh") == 0.0
    assert short("giay chung nhan kiem dinh", ignore_diacritics=True) == 1.0
    data = {"answers": [{"text": "Đo lường", "fraction": 1}], "ignore_diacritics": True}
    assert (
        item_score(qtype="shorttext", options=[], response={"text": "do luong"}, data=data) == 1.0
    )


def test_short_text_case_matters_when_the_question_says_so():
    assert short("giấy chứng nhận kiểm định", case_sensitive=True) == 0.0
    assert short("Giấy chứng nhận kiểm định", case_sensitive=True) == 1.0


def test_a_star_in_an_accepted_answer_matches_any_text_and_others_are_literal():
    assert short("tem kiểm định") == 0.5
    assert short("xem tem") == 0.0
    data = {"answers": [{"text": "a.b (c)", "fraction": 1}]}
    assert item_score(qtype="shorttext", options=[], response={"text": "a.b (c)"}, data=data)
    assert not item_score(qtype="shorttext", options=[], response={"text": "axb (c)"}, data=data)


# --- matching --------------------------------------------------------------------------------

MATCHING = {
    "pairs": [
        {"key": "p1", "prompt": "P1", "answer": "A1"},
        {"key": "p2", "prompt": "P2", "answer": "A2"},
        {"key": "p3", "prompt": "P3", "answer": "A2"},
    ],
    "distractors": ["X"],
}
# the officer sees the answers as [X, A2, A1]: keys "1", "2", "3"
ORDER = {"prompts": ["p3", "p1", "p2"], "answers": [2, 1, 0]}


def matching(response):
    return item_score(qtype="matching", options=[], response=response, data=MATCHING, order=ORDER)


def test_matching_answers_are_listed_once_and_keyed_by_their_place_on_the_page():
    assert matching_answer_texts(MATCHING) == ["A1", "A2", "X"]
    assert matching({"p1": "3", "p2": "2", "p3": "2"}) == 1.0


def test_matching_gives_credit_per_right_pair():
    assert matching({"p1": "3", "p2": "1"}) == pytest.approx(1 / 3)
    assert matching({"p1": "1", "p2": "1", "p3": "1"}) == 0.0


# --- hostile responses -----------------------------------------------------------------------

ALL_TYPES = [
    ("single", OPTIONS, None, None),
    ("multiple", OPTIONS, None, None),
    ("truefalse", OPTIONS[:2], None, None),
    ("numeric", [], NUMERIC, []),
    ("shorttext", [], SHORT, []),
    ("matching", [], MATCHING, ORDER),
]


@pytest.mark.parametrize(
    "qtype,response",
    [
        ("single", "a"),
        ("single", [1]),
        ("single", {"a": 1}),
        ("multiple", ["a", None]),
        ("numeric", ["2,5"]),
        ("numeric", {"value": 2.5}),
        ("numeric", {"value": "2,5", "unit": "tấn"}),
        ("numeric", {"value": "hai", "unit": ""}),
        ("numeric", {"value": "2,5", "extra": "x"}),
        ("shorttext", {"text": ["x"]}),
        ("shorttext", {"text": "x" * 501}),
        ("shorttext", "x"),
        ("matching", {"p1": "4"}),
        ("matching", {"p1": "0"}),
        ("matching", {"p9": "1"}),
        ("matching", {"p1": 1}),
        ("matching", ["1"]),
    ],
)
def test_responses_the_page_could_not_send_are_refused_and_score_zero(qtype, response):
    _, options, data, order = next(t for t in ALL_TYPES if t[0] == qtype)
    assert not response_is_valid(
        qtype=qtype, options=options, response=response, data=data, order=order
    )
    assert item_score(qtype=qtype, options=options, response=response, data=data, order=order) == 0


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(st.sampled_from(ALL_TYPES), JSON)
def test_any_json_response_is_judged_without_crashing_and_scores_0_to_1(spec, response):
    qtype, options, data, order = spec
    response_is_valid(qtype=qtype, options=options, response=response, data=data, order=order)
    score = item_score(qtype=qtype, options=options, response=response, data=data, order=order)
    assert 0.0 <= score <= 1.0
