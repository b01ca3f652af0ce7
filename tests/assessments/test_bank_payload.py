"""What a question version may store, per type (assessments.bank_payload)."""

import contextlib

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from assessments.bank_payload import PayloadError, payload_clean
from tests.assessments.factories import MATCHING_DATA, NUMERIC_DATA, SHORTTEXT_DATA, TYPE_PAYLOADS


@pytest.fixture(autouse=True)
def _english():
    # the messages are checked by their English msgids
    with translation.override("en"):
        yield


@pytest.mark.parametrize("qtype", list(TYPE_PAYLOADS))
def test_the_factory_payload_of_each_type_is_valid(qtype):
    payload = TYPE_PAYLOADS[qtype]
    options, data = payload_clean(
        qtype=qtype, options=payload.get("options"), data=payload.get("data")
    )
    assert options or data


def test_choice_options_are_normalised():
    options, data = payload_clean(
        qtype="single",
        options=[
            {"key": "a", "text": "  Một  ", "correct": 1, "feedback": ""},
            {"key": "b", "text": "Hai"},
        ],
        data=None,
    )
    assert options == [
        {"key": "a", "text": "Một", "correct": True},
        {"key": "b", "text": "Hai", "correct": False},
    ]
    assert data == {}


@pytest.mark.parametrize(
    "qtype,options,message",
    [
        ("single", [{"key": "a", "text": "x", "correct": True}], "at least two"),
        ("single", [{"key": "a", "text": "x"}, {"key": "b", "text": "y"}], "correct"),
        (
            "single",
            [
                {"key": "a", "text": "x", "correct": True},
                {"key": "b", "text": "y", "correct": True},
            ],
            "Only one",
        ),
        (
            "multiple",
            [{"key": "a", "text": "x", "correct": True}, {"key": "a", "text": "y"}],
            "repeated key",
        ),
        (
            "multiple",
            [
                {"key": "a", "text": "x", "correct": True, "fraction": 1},
                {"key": "b", "text": "y"},
            ],
            "fraction for every option",
        ),
        (
            "multiple",
            [
                {"key": "a", "text": "x", "correct": True, "fraction": 2},
                {"key": "b", "text": "y", "fraction": 0},
            ],
            "between",
        ),
        ("truefalse", [{"key": "a", "text": "x", "correct": True}] * 3, "exactly two"),
        ("single", "not a list", "malformed"),
        (
            "single",
            [{"key": "<b>", "text": "x", "correct": True}, {"key": "b", "text": "y"}],
            "key",
        ),
    ],
)
def test_bad_choice_options_are_refused_with_the_reason(qtype, options, message):
    with pytest.raises(PayloadError) as error:
        payload_clean(qtype=qtype, options=options, data=None)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "qtype,data,message",
    [
        ("numeric", {"answers": []}, "at least one"),
        ("numeric", {"answers": [{"value": "abc"}]}, "number"),
        ("numeric", {"answers": [{"value": float("nan")}]}, "number"),
        ("numeric", {"answers": [{"value": 1, "fraction": 0}]}, "credit"),
        (
            "numeric",
            {"answers": [{"value": 1}], "units": [{"unit": "kg", "multiplier": 0}]},
            "above 0",
        ),
        ("numeric", {"answers": [{"value": 1}], "unit_required": True}, "no unit"),
        ("shorttext", {"answers": [{"text": ""}]}, "required"),
        ("matching", {"pairs": [{"prompt": "a", "answer": "b"}]}, "two pairs"),
        ("matching", {"pairs": "x"}, "malformed"),
        ("numeric", ["not", "a", "dict"], "malformed"),
        ("essay", {}, "Unknown"),
    ],
)
def test_bad_answer_data_is_refused_with_the_reason(qtype, data, message):
    with pytest.raises(PayloadError) as error:
        payload_clean(qtype=qtype, options=None, data=data)
    assert message in str(error.value)


def test_matching_pairs_get_keys_and_distractors_are_deduplicated():
    _, data = payload_clean(
        qtype="matching",
        options=None,
        data={
            "pairs": [{"prompt": "A", "answer": "1"}, {"prompt": "B", "answer": "2"}],
            "distractors": ["3", "3", " "],
        },
    )
    assert [p["key"] for p in data["pairs"]] == ["p1", "p2"]
    assert data["distractors"] == ["3"]


def test_the_schema_examples_round_trip_unchanged():
    for qtype, data in (
        ("numeric", NUMERIC_DATA),
        ("shorttext", SHORTTEXT_DATA),
        ("matching", MATCHING_DATA),
    ):
        assert payload_clean(qtype=qtype, options=None, data=data)[1] == data


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "key",
                    "text",
                    "value",
                    "answers",
                    "pairs",
                    "units",
                    "fraction",
                    "prompt",
                    "answer",
                    "unit",
                    "multiplier",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=15,
)


@given(st.sampled_from(list(TYPE_PAYLOADS)), JSON, JSON)
def test_any_payload_is_either_cleaned_or_refused_never_crashes(qtype, options, data):
    with contextlib.suppress(PayloadError):
        payload_clean(qtype=qtype, options=options, data=data)
