"""GIFT: the reference examples and Moodle's GIFT fixtures import as Moodle reads them, essays
and descriptions are skipped by name, legacy encodings come out with the right letters."""

import unicodedata

import pytest
from django.utils.translation import gettext as _

from assessments.interchange import gift, model

from .helpers import moodle_file, options, read_gift, summary

TRUE, FALSE = _("True"), _("False")


def one(text: str):
    result = gift.read(text.encode())
    assert result.ok, result.errors
    [q] = result.questions
    return q


def errors(text: str) -> list[tuple]:
    return [(e.position, e.code) for e in gift.read(text.encode()).errors]


# --- the real files ------------------------------------------------------------------------------


def test_gift_examples_import_every_question_with_its_type_and_line():
    result = read_gift("gift-examples.txt")

    assert result.ok and not result.skipped and not result.notices
    assert summary(result) == [
        (8, "Who's buried in Grant's tomb?", "single"),
        (10, "Grant is _____ in Grant's tomb.", "single"),
        (12, "Grant is buried in Grant's tomb.", "truefalse"),
        (14, "Who's buried in Grant's tomb?", "shorttext"),
        (16, "When was Ulysses S. Grant born?", "numeric"),
        (25, "Who's buried in Grant's tomb?", "single"),
        (27, "Grant is _____ in Grant's tomb.", "single"),
        (
            29,
            "The American holiday of Thanksgiving is celebrated on the _____ Thursday of...",
            "single",
        ),
        (35, "Japanese characters originally came from what country?", "single"),
        (43, "Who's buried in Grant's tomb?", "shorttext"),
        (45, "Two plus two equals _____.", "shorttext"),
        (49, "Grant is buried in Grant's tomb.", "truefalse"),
        (51, "The sun rises in the east.", "truefalse"),
        (55, "Matching Question.", "matching"),
        (61, "Match the following countries with their corresponding capitals.", "matching"),
        (70, "When was Ulysses S. Grant born?", "numeric"),
        (72, "What is the value of pi (to 3 decimal places)? _____.", "numeric"),
        (74, "What is the value of pi (to 3 decimal places)? _____.", "numeric"),
        (76, "When was Ulysses S. Grant born?", "numeric"),
        (85, "What's 2 plus 2?", "numeric"),
        (90, "Kanji Origins", "shorttext"),
        (93, "Thanksgiving Date", "single"),
        (98, "What's the answer to this multiple-choice question?", "single"),
        (103, "Who's buried in Grant's tomb?", "shorttext"),
        (108, "Who's buried in Grant's tomb?", "shorttext"),
        (113, "Grant is buried in Grant's tomb.", "truefalse"),
        (115, "Difficult question.", "single"),
        (117, "Jesus' hometown", "single"),
        (123, "Jesus' hometown", "shorttext"),
        (130, "What two people are entombed in Grant's tomb?", "multiple"),
        (136, "What two people are entombed in Grant's tomb?", "multiple"),
        (143, "Which answer equals 5?", "single"),
        (148, "GIFT Control Characters", "single"),
        (167, "Who's buried in Grant's tomb?", "single"),
        (169, "Grant is _____ in Grant's tomb.", "single"),
        (171, "Grant is buried in Grant's tomb.", "truefalse"),
        (173, "Who's buried in Grant's tomb?", "shorttext"),
        (175, "When was Ulysses S. Grant born?", "numeric"),
        (177, "Match the following countries with their corresponding capitals.", "matching"),
        (184, "Grant's Tomb", "single"),
        (190, "Difficult multiple choice question.", "single"),
        (195, "Jesus' hometown (Short answer ex.)", "shorttext"),
        (202, "Numerical example", "numeric"),
    ]


def test_gift_examples_content_weights_feedback_escapes_and_numbers():
    by_line = {q.position: q for q in read_gift("gift-examples.txt").questions}

    # a missing-word question keeps a blank where the answers stood
    assert by_line[10].stem == "Grant is _____ in Grant's tomb."
    assert options(by_line[10]) == [
        ("buried", 0.0, False, ""),
        ("entombed", 1.0, True, ""),
        ("living", 0.0, False, ""),
    ]
    assert [o["correct"] for o in by_line[12].options] == [False, True]  # {FALSE}
    assert by_line[14].data["answers"] == [
        {"text": "no one", "fraction": 1.0, "feedback": ""},
        {"text": "nobody", "fraction": 1.0, "feedback": ""},
    ]
    assert by_line[16].data["answers"] == [
        {"value": 1822.0, "tolerance": 1.0, "fraction": 1.0, "feedback": ""}
    ]
    assert by_line[61].data == {
        "pairs": [
            {"key": "p1", "prompt": "Canada", "answer": "Ottawa"},
            {"key": "p2", "prompt": "Italy", "answer": "Rome"},
            {"key": "p3", "prompt": "Japan", "answer": "Tokyo"},
            {"key": "p4", "prompt": "India", "answer": "New Delhi"},
        ],
        "distractors": [],
    }
    # {#3.141..3.142} is a range: its middle and half its width, computed in decimal
    assert by_line[74].data["answers"][0] | {"feedback": ""} == {
        "value": 3.1415,
        "tolerance": 0.0005,
        "fraction": 1.0,
        "feedback": "",
    }
    assert [(a["value"], a["tolerance"], a["fraction"]) for a in by_line[76].data["answers"]] == [
        (1822.0, 0.0, 1.0),
        (1822.0, 2.0, 0.5),
    ]
    # [markdown] is turned into HTML
    assert by_line[108].stem == "<p>Who's buried in <strong>Grant's tomb</strong>?</p>"
    assert by_line[113].options[0]["feedback"] == "No one is buried in Grant's tomb."
    assert options(by_line[117]) == [
        ("Jerusalem", 0.0, False, "This was an important city, but the wrong answer."),
        ("Bethlehem", 0.25, False, "He was born here, but not raised here."),
        ("Galilee", 0.5, False, "You need to be more specific."),
        ("Nazareth", 1.0, True, "Yes! That's right!"),
    ]
    assert [a["fraction"] for a in by_line[123].data["answers"]] == [1.0, 0.75, 0.25]
    assert [(o["fraction"], o["correct"]) for o in by_line[136].options] == [
        (-0.5, False),
        (0.5, True),
        (0.5, True),
        (-0.5, False),
    ]
    assert [o["text"] for o in by_line[143].options] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = by_line[148]
    assert [o["text"] for o in control.options] == ["~", "=", "#", "{", "}", "\\"]
    assert control.options[5]["correct"] is True
    assert control.options[5]["feedback"].startswith(
        "Correct! \\ (backslash) is not a control character. BUT,<br>it is used to escape"
    )
    assert by_line[202].data["answers"][1]["feedback"] == (
        "He was born in 1822.<br>You get 50% credit for being close."
    )


def test_questions_gift_reads_names_markup_partial_credit_and_skips_the_essay():
    result = read_gift("questions.gift.txt")

    assert result.ok
    assert summary(result) == [
        (5, "Moodle activities", "matching"),
        (14, "Q2", "single"),
        (22, "colours", "multiple"),
        (31, "Q5", "numeric"),
        (34, "Shortanswer", "shorttext"),
        (41, "Q1", "truefalse"),
        (46, "2-08 TSL", "truefalse"),
        (49, "2-08 TSL", "truefalse"),
        (2, "Q8", "skipped:essay"),
    ]
    assert result.skipped[0].code == "unsupported_essay"
    by_name = {q.name: q for q in result.questions}
    activities = by_name["Moodle activities"]
    assert activities.stem == "Match the <b>activity</b> to the description."
    assert activities.data == {
        "pairs": [
            {
                "key": "p1",
                "prompt": "An activity supporting asynchronous discussions.",
                "answer": "Forum",
            },
            {
                "key": "p2",
                "prompt": "A teacher asks a question and specifies a choice of multiple responses.",
                "answer": "Choice",
            },
            {
                "key": "p3",
                "prompt": "A bank of record entries which participants can add to.",
                "answer": "Database",
            },
            {
                "key": "p4",
                "prompt": "<p>A collection of web pages that anyone can add to or edit.</p>",
                "answer": "Wiki",
            },
        ],
        "distractors": ["Chat"],
    }
    assert options(by_name["Q2"]) == [
        ("yellow", 1.0, True, "right; good!"),
        ("red", 0.0, False, "wrong, it's yellow"),
        ("blue", 0.0, False, "wrong, it's yellow"),
    ]
    assert [(o["text"], o["fraction"]) for o in by_name["colours"].options] == [
        ("yellow", 0.5),
        ("red", -1.0),
        ("off-beige", 0.5),
        ("blue", -1.0),
    ]
    assert by_name["Q5"].data["answers"] == [
        {"value": 3.0, "tolerance": 2.0, "fraction": 1.0, "feedback": ""}
    ]
    assert [(n.code, n.position) for n in result.notices] == [("wildcard_dropped", 31)]
    assert by_name["Shortanswer"].data["answers"] == [
        {"text": "Frog", "fraction": 1.0, "feedback": "Good!"},
        {"text": "Cat", "fraction": 0.5, "feedback": "What is it with Moodlers and cats?"},
        {"text": "*", "fraction": 0.0, "feedback": "Completely wrong"},
    ]
    q1 = by_name["Q1"]
    assert q1.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    # FALSE#wrong#right: the first feedback goes with the wrong answer (true)
    assert options(q1) == [
        (TRUE, 0.0, False, "42 is the Ultimate Answer."),
        (FALSE, 1.0, True, "You gave the right answer."),
    ]
    assert [q.options[0]["correct"] for q in result.questions if q.name == "2-08 TSL"] == [
        True,
        True,
    ]


def test_questions_in_category_take_the_category_and_unescape_html():
    result = read_gift("questions_in_category.gift.txt")

    assert result.ok and not result.skipped
    assert [(q.name, q.qtype) for q in result.questions] == [
        ("Moodle activities", "matching"),
        ("Greeting", "single"),
        ("Moodle user", "shorttext"),
        ("Moodle acronym", "truefalse"),
    ]
    assert {q.category for q in result.questions} == {"Default for New Features"}
    greeting = result.questions[1]
    assert greeting.stem == (
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3" '
        'rel="noopener noreferrer">Listen to this greeting:</a><br><br>What language is being '
        "spoken?"
    )
    assert [(o["text"], o["correct"]) for o in greeting.options] == [
        ("English", False),
        ("French", True),
        ("German", False),
        ("Spanish", False),
    ]
    assert result.questions[2].data["answers"] == [
        {"text": "Moodler", "fraction": 1.0, "feedback": ""}
    ]
    acronym = result.questions[3]
    assert acronym.stem == (
        "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."
    )
    assert acronym.options[0]["correct"] is True


def test_a_windows_1252_file_comes_out_with_the_right_characters():
    result = read_gift("questions_encoding_windows-1252.gift.txt")

    assert result.ok and result.encoding == "cp1252"
    assert [n.code for n in result.notices] == ["legacy_encoding"]
    [q] = result.questions
    assert (q.position, q.name, q.qtype, q.category) == (
        14,
        "asdf",
        "matching",
        "Default for LTTEST",
    )
    assert q.stem == "<p>asdf<br></p>"
    assert q.data["pairs"][0] == {"key": "p1", "prompt": "<p>aödf<br></p>", "answer": "asdf"}
    assert len(q.data["pairs"]) == 3
    assert [(s.position, s.name, s.code) for s in result.skipped] == [
        (6, "asdf", "unsupported_essay"),
        (10, "test daniel", "unsupported_essay"),
    ]


def test_utf8_with_and_without_bom_read_the_same():
    data = moodle_file("questions.gift.txt")
    assert gift.read(b"\xef\xbb\xbf" + data).questions == gift.read(data).questions


def _cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: tone marks as combining characters after the
    letter, the other marks precomposed."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_a_vietnamese_ansi_file_is_read_as_windows_1258():
    text = (
        "::Cân bàn::Cân bàn dùng trong mua bán tại chợ là phương tiện đo nhóm mấy?{=nhóm 2 ~nhóm 1}"
    )
    result = gift.read(_cp1258(text))
    assert result.encoding == "cp1258"
    [q] = result.questions
    assert q.stem == "Cân bàn dùng trong mua bán tại chợ là phương tiện đo nhóm mấy?"
    assert [o["text"] for o in q.options] == ["nhóm 2", "nhóm 1"]


# --- syntax in detail ----------------------------------------------------------------------------


def test_comment_tags_carry_id_number_tags_and_structured_fields():
    q = one(
        "// [id:MET-01-007] [tag:đo lường] [tag:competency:MET-01] [tag:difficulty:medium]\n"
        "// [tag:legal-document:Luật Đo lường 2011] [tag:legal-effective-date:01/07/2012]\n"
        "::Cân::Cân bàn là phương tiện đo?{T}"
    )
    assert q.idnumber == "MET-01-007"
    assert q.tags == ["đo lường"]
    assert (q.competency_code, q.difficulty) == ("MET-01", "medium")
    assert q.legal_document == "Luật Đo lường 2011"
    assert q.legal_effective_date.isoformat() == "2012-07-01"


def test_a_category_ending_in_a_code_gives_the_competency():
    result = gift.read(
        "$CATEGORY: $course$/top/Đo lường/MET-03\n\n::A::Câu hỏi?{T}\n\n"
        "$CATEGORY: $course$/top/Khác\n\n::B::Câu hỏi?{F}".encode()
    )
    assert [(q.name, q.category, q.competency_code) for q in result.questions] == [
        ("A", "Đo lường/MET-03", "MET-03"),
        ("B", "Khác", ""),
    ]


def test_true_false_feedback_and_general_feedback():
    q = one("::TF::Trời xanh?{TRUE#Sai rồi#Đúng rồi####Vì tán xạ Rayleigh.}")
    assert options(q) == [(TRUE, 1.0, True, "Đúng rồi"), (FALSE, 0.0, False, "Sai rồi")]
    assert q.explanation == "Vì tán xạ Rayleigh."


def test_plain_text_is_escaped_and_moodle_text_keeps_html():
    q = one("::P::[plain]1 < 2 & <b>đậm</b>?{T}")
    assert q.stem == "1 &lt; 2 &amp; &lt;b&gt;đậm&lt;/b&gt;?"
    q = one("::M::1 <b>đậm</b>\\nxuống dòng?{T}")
    assert q.stem == "1 <b>đậm</b><br>xuống dòng?"


def test_a_description_is_skipped_by_name():
    result = gift.read(b"::Intro::Read this first.")
    assert result.ok and not result.questions
    [skipped] = result.skipped
    assert (skipped.name, skipped.code) == ("Intro", "unsupported_description")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("::A::Question {=a ~b", [(1, "brace_error")]),
        ("::A::Question } {=a ~b", [(1, "brace_error")]),
        ("::A::Question{#abc}", [(1, "not_a_number")]),
        ("::A::Question{#5..1}", [(1, "negative_tolerance")]),
        ("::A::Question{=a -> b =c}", [(1, "matching_format")]),
        ("::A::Question{~%33%a ~%67%b}", [(1, "invalid_fraction"), (1, "invalid_fraction")]),
        ("::A::Question{~a ~b}", [(1, "fractions_sum")]),
        ("::A::Question{=only}\n\n\n::B::Q{=a -> b}", [(4, "too_few_pairs")]),
        ("::A::Question{=a}\n\n::B::{=x}", [(3, "stem_missing")]),
    ],
)
def test_broken_questions_are_errors_with_their_line(text, expected):
    assert errors(text) == expected


def test_binary_and_oversized_files_are_refused(monkeypatch):
    assert [e.code for e in gift.read(b"PK\x03\x04rest").errors] == ["not_text"]
    assert [e.code for e in gift.read(bytes(range(256)) * 4).errors] == ["not_text"]
    assert [e.code for e in gift.read(b"").errors] == ["file_empty"]
    assert [e.code for e in gift.read(b"// only a comment\n").errors] == ["no_questions"]
    monkeypatch.setattr(model, "MAX_FILE_BYTES", 100)
    assert [e.code for e in gift.read(moodle_file("gift-examples.txt")).errors] == [
        "file_too_large"
    ]


def test_too_many_questions_are_refused(monkeypatch):
    monkeypatch.setattr(model, "MAX_QUESTIONS", 10)
    result = gift.read(moodle_file("gift-examples.txt"))
    assert [e.code for e in result.errors] == ["too_many_questions"]
    assert not result.questions


# --- writing -------------------------------------------------------------------------------------


def test_every_real_gift_file_reads_back_equal_after_writing():
    for name in [
        "gift-examples.txt",
        "questions.gift.txt",
        "questions_in_category.gift.txt",
        "questions_encoding_windows-1252.gift.txt",
    ]:
        questions = read_gift(name).questions
        written = gift.write(questions)
        again = gift.read(written)
        assert again.ok and again.encoding == "utf-8" and not again.skipped
        assert again.questions == questions, name


def test_written_gift_escapes_control_characters_and_names_the_format():
    q = one("::GIFT Control Characters::Which?{~ \\~ # \\~ is one. = \\\\ #Yes \\{\\}}")
    written = gift.write([q]).decode()
    assert "::GIFT Control Characters::[html]Which?{" in written
    assert "\t~[html]\\~#[html]\\~ is one." in written
    assert "\t=[html]\\\\#[html]Yes \\{\\}" in written


def test_images_travel_inside_gift_as_data_uris_with_their_names():
    from .helpers import read_moodle

    questions = read_moodle("truefalse.xml").questions
    written = gift.write(questions)
    assert b"data\\:image/jpeg;name\\=logo.jpg;base64," in written
    assert gift.read(written).questions == questions
