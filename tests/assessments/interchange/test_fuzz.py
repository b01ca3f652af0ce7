"""Property-based fuzzing of the readers: whatever the bytes, reading never raises, every
problem is a coded, worded error, and whatever is imported is a valid question in canonical
form (the safety net that turns an unexpected exception into "could not be read" must never be
needed)."""

import io
import string
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from assessments.interchange import detect_format, gift, model, moodlexml, xlsx
from assessments.interchange.richtext import plugin_file_names

from .helpers import moodle_file

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.too_slow],
)
READERS = {"moodlexml": moodlexml.read, "gift": gift.read, "xlsx": xlsx.read}


def check(result) -> None:
    for error in result.errors:
        assert error.code and error.code != "internal", error
        assert error.message.strip()
    if any(e.position is None for e in result.errors):
        assert not result.questions  # a file-level error imports nothing
    for skipped in result.skipped:
        assert skipped.reason.strip() and skipped.code
    for question in result.questions:
        again, errors = model.finalise(question)
        assert not errors and again == question
        referenced = set().union(*(plugin_file_names(t) for t in model.question_texts(question)))
        assert set(question.files) <= referenced


@FUZZ
@given(fmt=st.sampled_from(sorted(READERS)), data=st.binary(max_size=3000))
def test_random_bytes_never_crash(fmt, data):
    check(READERS[fmt](data))
    detect_format("x", data)


GIFT_ALPHABET = (
    string.ascii_letters
    + string.digits
    + " \t\n\n\n{}{}~~==##::\\\\->%%..[]$/_"
    + "ăâđêôơưàáảãạềếểễệ"
    + "\u00a0\ufeff\ue001"
)
GIFT_PIECES = st.sampled_from(
    [
        "::Q::",
        "{",
        "}",
        "~",
        "=",
        "#",
        "####",
        "->",
        "%50%",
        "%-100%",
        "%33%",
        "[html]",
        "[markdown]",
        "[plain]",
        "{#",
        "1..2",
        ":0.5",
        "T",
        "FALSE",
        "\\",
        "\\n",
        "\n",
        "\n\n",
        "// [tag:competency:MET-01] [id:x] [lms:unit:kg=1]\n",
        "$CATEGORY: $course$/top/a/MET-01\n",
        '<img src="@@PLUGINFILE@@/a.png">',
        "data:image/png;base64,iVBORw0KGgo=",
        "Câu hỏi",
        " ",
    ]
)


@FUZZ
@given(
    text=st.one_of(
        st.text(alphabet=GIFT_ALPHABET, max_size=400),
        st.lists(GIFT_PIECES, max_size=40).map("".join),
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "cp1258", "utf-16"]),
)
def test_random_gift_text_never_crashes(text, encoding):
    check(gift.read(text.encode(encoding, errors="replace")))


XML_PIECES = st.sampled_from(
    [
        '<question type="multichoice">',
        '<question type="truefalse">',
        '<question type="numerical">',
        '<question type="shortanswer">',
        '<question type="matching">',
        '<question type="category">',
        '<question type="essay">',
        '<question type="ddwtos">',
        "<question>",
        "</question>",
        "<name><text>Tên</text></name>",
        '<questiontext format="html"><text><![CDATA[<p>Câu <img src="@@PLUGINFILE@@/a.png"></p>]]>'
        "</text>",
        '<file name="a.png" encoding="base64">iVBORw0KGgoAAAANSUhEUg==</file>',
        '<file name="../../etc/passwd" path="/x/" encoding="base64">AAAA</file>',
        "</questiontext>",
        '<questiontext format="markdown"><text>**đậm**</text></questiontext>',
        '<answer fraction="100"><text>true</text></answer>',
        '<answer fraction="0"><text>false</text></answer>',
        '<answer fraction="50"><text>1.5</text><tolerance>0.1</tolerance></answer>',
        '<answer fraction="33"><text>x</text></answer>',
        '<answer fraction="abc"><text>*</text></answer>',
        "<answer><text></text><feedback><text>fb</text></feedback></answer>",
        "<subquestion><text>p</text><answer><text>a</text></answer></subquestion>",
        "<subquestion><text></text><answer><text>d</text></answer></subquestion>",
        "<single>false</single>",
        "<shuffleanswers>0</shuffleanswers>",
        "<units><unit><multiplier>x</multiplier><unit_name>kg</unit_name></unit></units>",
        "<unitgradingtype>1</unitgradingtype>",
        "<tags><tag><text>difficulty:khó</text></tag><tag><text>legal-effective-date:x</text>"
        "</tag></tags>",
        "<category><text>$course$/top/MET-01</text></category>",
        "<image>a/b.png</image><image_base64>iVBORw0KGgo=</image_base64>",
        "<generalfeedback><text>g</text></generalfeedback>",
        "<usecase>1</usecase>",
        "<text>",
        "</text>",
        "<b>",
        "&amp;",
        "&lt;",
        "]]>",
        "x",
    ]
)


@FUZZ
@given(pieces=st.lists(XML_PIECES, max_size=40))
def test_random_moodle_xml_never_crashes(pieces):
    data = ('<?xml version="1.0" encoding="UTF-8"?><quiz>' + "".join(pieces) + "</quiz>").encode()
    check(moodlexml.read(data))


CELLS = st.one_of(
    st.none(),
    st.text(alphabet=GIFT_ALPHABET + "|=>,;", max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.booleans(),
    st.sampled_from(
        [
            "=1+1",
            "Một đáp án",
            "Nhiều đáp án",
            "Đúng/Sai",
            "Số",
            "Trả lời ngắn",
            "Ghép đôi",
            "A",
            "A, C",
            "B 50%, C 50%",
            "Đúng",
            "Sai",
            "a => b | c => d | => e",
            "kg | g=1000",
            "Dễ",
            "MET-01",
            "31/02/2020",
            "01/07/2012",
        ]
    ),
)
HEADER = [c.header for c in xlsx.COLUMNS]


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=len(HEADER)), max_size=8))
def test_random_cells_in_the_template_never_crash(rows):
    check(xlsx.read(workbook([HEADER, *rows])))


REAL = [
    "multichoice.xml",
    "truefalse.xml",
    "nested_categories_with_questions.xml",
    "gift-examples.txt",
    "questions.gift.txt",
    "questions_encoding_windows-1252.gift.txt",
]


@FUZZ
@given(
    name=st.sampled_from(REAL),
    flips=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=8
    ),
    cut=st.integers(min_value=0),
)
def test_damaged_real_files_never_crash(name, flips, cut):
    good = moodle_file(name)
    data = bytearray(good[: max(10, cut % (len(good) + 1))])
    for position, value in flips:
        data[position % len(data)] = value
    reader = moodlexml.read if name.endswith(".xml") else gift.read
    check(reader(bytes(data)))


@FUZZ
@given(
    flips=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=6
    ),
    cut=st.integers(min_value=0),
)
def test_a_damaged_workbook_never_crashes(flips, cut):
    good = xlsx.write(gift.read(moodle_file("questions.gift.txt")).questions)
    data = bytearray(good[: max(30, cut % (len(good) + 1))])
    for position, value in flips:
        data[position % len(data)] = value
    check(xlsx.read(bytes(data)))
