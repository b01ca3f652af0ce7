"""A bank exported and imported again is equal: for each format, reading what was written gives
back exactly the questions written, for any bank the format can express."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.interchange import gift, model, moodlexml, xlsx

from .strategies import canonical, question

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
FORMATS = {"moodlexml": moodlexml, "gift": gift, "xlsx": xlsx}


def round_trip(fmt: str, questions):
    module = FORMATS[fmt]
    warnings = []
    result = module.read(module.write(questions, warnings=warnings))
    assert not warnings
    assert result.ok, result.errors
    assert not result.skipped
    assert result.questions == questions


@PROPERTY
@given(st.lists(canonical("moodlexml"), min_size=1, max_size=5))
def test_moodle_xml_round_trip(questions):
    round_trip("moodlexml", questions)


@PROPERTY
@given(st.lists(canonical("gift"), min_size=1, max_size=5))
def test_gift_round_trip(questions):
    round_trip("gift", questions)


@PROPERTY
@given(st.lists(canonical("xlsx"), min_size=1, max_size=5))
def test_xlsx_round_trip(questions):
    round_trip("xlsx", questions)


@PROPERTY
@given(question())
def test_finalise_is_idempotent(q):
    once, errors = model.finalise(q)
    twice, again = model.finalise(once)
    assert twice == once
    assert [e.code for e in again] == [e.code for e in errors]
