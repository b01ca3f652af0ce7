"""Moodle XML: every real file from Moodle's own fixtures imports exactly as stated here, the
unsupported questions are reported by name, and hostile XML is refused."""

import base64
import unicodedata

import pytest
from django.utils.translation import gettext as _

from assessments.interchange import model, moodlexml
from assessments.interchange.model import QuestionData
from assessments.interchange.richtext import image_kind

from .helpers import embedded_file, moodle_file, options, read_moodle, summary

TRUE, FALSE = _("True"), _("False")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def quiz(*questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>"
    ).encode()


def multichoice(name="Câu hỏi", answers="", extra="", text="<p>Nội dung</p>") -> str:
    return (
        f'<question type="multichoice"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>'
        f"{extra}{answers}</question>"
    )


def answer(fraction, text, feedback="") -> str:
    return (
        f'<answer fraction="{fraction}" format="html"><text><![CDATA[{text}]]></text>'
        f"<feedback><text><![CDATA[{feedback}]]></text></feedback></answer>"
    )


# --- the real files ------------------------------------------------------------------------------


def test_multichoice_xml_imports_the_greeting_with_its_four_flag_images():
    result = read_moodle("multichoice.xml")

    assert result.ok and not result.skipped
    [q] = result.questions
    assert (q.position, q.name, q.qtype) == (2, "Greeting", "single")
    assert q.category == "Default for testhead/Multichoice"
    assert q.shuffle_options is True
    assert q.stem == (
        '<p><a href="@@PLUGINFILE@@/bonjour.mp3" rel="noopener noreferrer">Listen to this '
        "greeting:</a><br><br>What language is being spoken?</p>"
    )
    flag = '<p><img src="@@PLUGINFILE@@/flag-{}.jpg" alt="{}" width="30" height="20"> {}</p>'
    assert options(q) == [
        (flag.format("uk", "British Flag", "English"), 0.0, False, "<p>Sorry, listen again.</p>"),
        (flag.format("france", "French flag", "French"), 1.0, True, "<p>Yes, well done!</p>"),
        (flag.format("german", "German flag", "German"), 0.0, False, "<p>Sorry, listen again.</p>"),
        (
            flag.format("denmark", "Denmark flag", "Danish"),
            0.0,
            False,
            "<p>Sorry, listen again.</p>",
        ),
    ]
    assert [o["key"] for o in q.options] == ["a", "b", "c", "d"]
    source = moodle_file("multichoice.xml")
    names = ["flag-uk.jpg", "flag-france.jpg", "flag-german.jpg", "flag-denmark.jpg"]
    assert sorted(q.files) == sorted(names)
    for name in names:
        assert q.files[name] == embedded_file(source, name)
        assert image_kind(q.files[name]) == "jpeg"
    # the greeting itself is a sound file: not an image, so left out and said so
    [notice] = result.notices
    assert (notice.code, notice.name, notice.position) == ("file_not_image", "Greeting", 2)
    assert "bonjour.mp3" in notice.message


def test_truefalse_xml_imports_both_questions_with_feedback_images_and_explanation():
    result = read_moodle("truefalse.xml")

    assert result.ok and not result.skipped and not result.notices
    false_q, true_q = result.questions
    assert (false_q.position, false_q.name) == (2, "Moodle acronym (False)")
    assert (true_q.position, true_q.name) == (3, "Moodle acronym (True)")
    assert false_q.qtype == true_q.qtype == "truefalse"
    assert false_q.category == "Default for testhead/TrueFalse"
    # the italic <span style> goes, its words stay
    assert false_q.stem == (
        '<p>Moodle&nbsp;<img src="@@PLUGINFILE@@/logo.jpg" alt="Moodle logo" width="48" '
        'height="48"> is an acronym for Modular Object-Oriented Dynamic Learning Education.</p>'
    )
    assert options(false_q) == [
        (
            TRUE,
            0.0,
            False,
            '<p><img src="@@PLUGINFILE@@/thumbdown.jpg" alt="Thumb down" width="24" '
            'height="24"> Your answer is incorrect.</p>',
        ),
        (
            FALSE,
            1.0,
            True,
            '<p><img src="@@PLUGINFILE@@/thumbup.jpg" alt="Thumb up" width="24" height="24"> '
            "Your answer is correct.</p>",
        ),
    ]
    assert [o["correct"] for o in true_q.options] == [True, False]
    assert false_q.explanation == (
        '<p><img src="@@PLUGINFILE@@/infos.jpg" alt="Informations" width="34" height="49">For '
        'further information, see the <a title="Moodle Docs - About Moodle" '
        'href="http://docs.moodle.org/en/About_Moodle" rel="noopener noreferrer">documentation '
        "about Moodle</a>.</p>"
    )
    source = moodle_file("truefalse.xml")
    for q in (false_q, true_q):
        assert sorted(q.files) == ["infos.jpg", "logo.jpg", "thumbdown.jpg", "thumbup.jpg"]
        assert q.files["thumbup.jpg"] == embedded_file(source, "thumbup.jpg")
        assert all(image_kind(content) == "jpeg" for content in q.files.values())


def test_nested_categories_keep_their_paths_and_the_essay_is_skipped_by_name():
    result = read_moodle("nested_categories_with_questions.xml")

    assert result.ok
    assert summary(result) == [
        (2, "Iota Question", "truefalse"),
        (5, "Kappa Question", "truefalse"),
        (7, "Lambda Question", "truefalse"),
        (9, "Mu Question", "truefalse"),
        (4, "Kappa Essay Question", "skipped:essay"),
    ]
    assert [q.category for q in result.questions] == [
        "Iota",
        "Iota/Kappa",
        "Iota/Kappa/Lambda",
        "Iota/Mu",
    ]
    assert [q.stem for q in result.questions] == [
        "<p>Testing Iota Question</p>",
        "<p>Testing Kappa Question</p>",
        "<p>Testing Lambda Question</p>",
        "<p>Testing Mu Question</p>",
    ]
    assert all(q.options[0]["correct"] for q in result.questions)  # "true" is right
    assert result.skipped[0].code == "unsupported_essay"


def test_the_moodle_1_9_image_tag_becomes_an_embedded_image_and_the_cloze_is_skipped():
    result = read_moodle("sample_questions_with_old_image_tag.xml")

    assert result.ok
    assert summary(result) == [
        (3, "mcq with image", "single"),
        (2, "cloze question with image", "skipped:cloze"),
    ]
    assert result.skipped[0].code == "unsupported_cloze"
    [q] = result.questions
    assert q.category == "Default for Test images in backup"
    assert q.stem == (
        'This is a multichoice question with an image in the old "image" field that was used '
        'in Moodle 1.9 <img src="@@PLUGINFILE@@/moodle.png" alt="">'
    )
    assert options(q) == [
        ("wrong answer", 0.0, False, ""),
        ("another wrong answer", 0.0, False, ""),
        ("right answer", 1.0, True, ""),
    ]
    assert list(q.files) == ["moodle.png"]
    assert image_kind(q.files["moodle.png"]) == "png"
    assert len(q.files["moodle.png"]) == 606


def test_invalid_grade_fractions_are_rejected_with_a_clear_message():
    result = read_moodle("error_invalid_grades.xml")

    assert not result.ok and not result.questions
    [error] = result.errors
    assert error.code == "invalid_fraction"
    assert (error.position, error.name) == (1, "Question with invalid grades : x > 1 & x < 2")
    assert "33%" in error.message and "33.33333" in error.message


def test_html_entities_in_id_numbers_are_decoded():
    result = read_moodle("html_chars_in_idnumbers.xml")

    assert result.ok
    [q] = result.questions
    assert (q.name, q.idnumber, q.category) == ("Alpha Question", "T & F", "Alpha")


def test_every_broken_cloze_question_is_skipped_by_name_without_failing_the_file():
    result = read_moodle("broken_cloze_questions.xml")

    assert result.ok and not result.questions
    assert [(s.position, s.name, s.code) for s in result.skipped] == [
        (1, "Multianswer question without subquestions", "unsupported_cloze"),
        (2, "Multichoice subquestion without choices", "unsupported_cloze"),
        (3, "Multichoice subquestion with only one choice", "unsupported_cloze"),
        (4, "Multichoice subquestion with no completely correct answer", "unsupported_cloze"),
        (5, "Numerical subquestion with buggy answer", "unsupported_cloze"),
    ]
    assert all(s.reason for s in result.skipped)


# --- the supported types in detail ---------------------------------------------------------------


def test_vietnamese_options_keep_their_diacritics_and_come_out_composed():
    decomposed = unicodedata.normalize("NFD", "Phương tiện đo nhóm 2")
    data = quiz(
        multichoice(
            name="MET-01 cân bàn chợ",
            text="<p>Cân bàn dùng trong mua bán tại chợ thuộc loại nào?</p>",
            answers=answer(100, decomposed, "Đúng") + answer(0, "Không phải phương tiện đo"),
        )
    )
    [q] = moodlexml.read(data).questions
    assert q.name == "MET-01 cân bàn chợ"
    assert options(q) == [
        ("Phương tiện đo nhóm 2", 1.0, True, "Đúng"),
        ("Không phải phương tiện đo", 0.0, False, ""),
    ]


def test_multiple_answers_keep_their_fractions_and_shuffle_setting():
    data = quiz(
        multichoice(
            extra="<single>false</single><shuffleanswers>0</shuffleanswers>",
            answers=answer("33.33333", "2")
            + answer("33.33333", "3")
            + answer("33.33334", "5")
            + answer(-100, "4"),
        )
    )
    [q] = moodlexml.read(data).questions
    assert q.qtype == "multiple" and q.shuffle_options is False
    assert [(o["fraction"], o["correct"]) for o in q.options] == [
        (0.3333333, True),
        (0.3333333, True),
        (0.3333333, True),
        (-1.0, False),
    ]


def test_multiple_choice_grades_must_add_up_to_100_percent():
    data = quiz(
        multichoice(extra="<single>false</single>", answers=answer(50, "a") + answer(0, "b"))
    )
    [error] = moodlexml.read(data).errors
    assert error.code == "fractions_sum"


def test_a_single_choice_question_needs_a_full_credit_option():
    data = quiz(multichoice(answers=answer(50, "a") + answer(0, "b")))
    assert [e.code for e in moodlexml.read(data).errors] == ["no_full_credit"]


def test_numerical_reads_tolerance_units_and_drops_the_catch_all_answer():
    data = quiz(
        """<question type="numerical"><name><text>Sai số cân</text></name>
        <questiontext format="html"><text>Khối lượng?</text></questiontext>
        <answer fraction="100"><text>1.5</text><tolerance>0.01</tolerance>
          <feedback><text>Đúng</text></feedback></answer>
        <answer fraction="50"><text>1.5</text><tolerance>0.1</tolerance></answer>
        <answer fraction="0"><text>*</text><feedback><text>Sai</text></feedback></answer>
        <units><unit><multiplier>1</multiplier><unit_name>kg</unit_name></unit>
          <unit><multiplier>1000</multiplier><unit_name>g</unit_name></unit></units>
        <unitgradingtype>1</unitgradingtype><showunits>0</showunits>
        </question>"""
    )
    result = moodlexml.read(data)
    [q] = result.questions
    assert q.qtype == "numeric"
    assert q.data == {
        "answers": [
            {"value": 1.5, "tolerance": 0.01, "fraction": 1.0, "feedback": "Đúng"},
            {"value": 1.5, "tolerance": 0.1, "fraction": 0.5, "feedback": ""},
        ],
        "units": [{"unit": "kg", "multiplier": 1.0}, {"unit": "g", "multiplier": 1000.0}],
        "unit_required": True,
    }
    assert [n.code for n in result.notices] == ["wildcard_dropped"]


def test_shortanswer_reads_usecase_and_matching_reads_distractors():
    data = quiz(
        """<question type="shortanswer"><name><text>Đơn vị</text></name>
        <questiontext format="plain_text">
          <text>Đơn vị đo khối lượng &lt;SI&gt;?</text></questiontext>
        <usecase>1</usecase>
        <answer fraction="100"><text>ki-lô-gam</text></answer>
        <answer fraction="50"><text>kg</text></answer>
        </question>
        <question type="matching"><name><text>Ghép</text></name>
        <questiontext format="html"><text>Ghép cơ quan</text></questiontext>
        <shuffleanswers>false</shuffleanswers>
        <subquestion format="html"><text><![CDATA[<p>Kiểm định cân</p>]]></text>
          <answer><text>Tổ chức kiểm định</text></answer></subquestion>
        <subquestion format="html"><text>Cấp phép tần số</text>
          <answer><text>Cục Tần số</text></answer></subquestion>
        <subquestion format="html"><text></text>
          <answer><text>UBND tỉnh</text></answer></subquestion>
        </question>"""
    )
    short, matching = moodlexml.read(data).questions
    # plain text is escaped, not interpreted
    assert short.stem == "Đơn vị đo khối lượng &lt;SI&gt;?"
    assert short.data == {
        "answers": [
            {"text": "ki-lô-gam", "fraction": 1.0, "feedback": ""},
            {"text": "kg", "fraction": 0.5, "feedback": ""},
        ],
        "case_sensitive": True,
        "ignore_diacritics": False,
    }
    assert matching.shuffle_options is False
    assert matching.data == {
        "pairs": [
            {"key": "p1", "prompt": "<p>Kiểm định cân</p>", "answer": "Tổ chức kiểm định"},
            {"key": "p2", "prompt": "Cấp phép tần số", "answer": "Cục Tần số"},
        ],
        "distractors": ["UBND tỉnh"],
    }


def test_tags_carry_competency_difficulty_and_legal_basis():
    tags = "".join(
        f"<tag><text>{t}</text></tag>"
        for t in [
            "đo lường",
            "competency:MET-01",
            "difficulty:hard",
            "legal-document:Luật Đo lường 2011",
            "legal-article:Điều 16",
            "legal-effective-date:2012-07-01",
        ]
    )
    data = quiz(
        multichoice(extra=f"<tags>{tags}</tags>", answers=answer(100, "a") + answer(0, "b"))
    )
    [q] = moodlexml.read(data).questions
    assert q.tags == ["đo lường"]
    assert (q.competency_code, q.difficulty) == ("MET-01", "hard")
    assert (q.legal_document, q.legal_article) == ("Luật Đo lường 2011", "Điều 16")
    assert q.legal_effective_date.isoformat() == "2012-07-01"


def test_a_category_ending_in_a_competency_code_gives_the_competency():
    category = (
        '<question type="category"><category><text>$course$/top/Đo lường/MET-02</text>'
        "</category></question>"
    )
    data = quiz(category, multichoice(answers=answer(100, "a") + answer(0, "b")))
    [q] = moodlexml.read(data).questions
    assert (q.category, q.competency_code) == ("Đo lường/MET-02", "MET-02")


def test_scripts_handlers_and_javascript_links_are_removed_from_imported_html():
    text = (
        '<p onclick="steal()">Xin chào<script>alert(1)</script>'
        '<img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">link</a></p>'
    )
    data = quiz(
        multichoice(text=text, answers=answer(100, "<b onmouseover=x>a</b>") + answer(0, "b"))
    )
    [q] = moodlexml.read(data).questions
    assert q.stem == '<p>Xin chào<img src="x.png"><a rel="noopener noreferrer">link</a></p>'
    assert q.options[0]["text"] == "<b>a</b>"


def test_two_different_files_of_the_same_name_in_one_question_are_both_kept():
    other = PNG + b"\x00"  # same signature, other content
    data = quiz(
        multichoice(
            text='<img src="@@PLUGINFILE@@/a.png">',
            answers=(
                '<answer fraction="100"><text><![CDATA[<img src="@@PLUGINFILE@@/a.png">]]></text>'
                f'<file name="a.png" encoding="base64">{base64.b64encode(other).decode()}</file>'
                "</answer>" + answer(0, "b")
            ),
        ).replace(
            "</text></questiontext>",
            f'</text><file name="a.png" path="/" encoding="base64">'
            f"{base64.b64encode(PNG).decode()}</file></questiontext>",
        )
    )
    [q] = moodlexml.read(data).questions
    assert q.files == {"a.png": PNG, "a-2.png": other}
    assert q.options[0]["text"] == '<img src="@@PLUGINFILE@@/a-2.png">'


# --- hostile and broken files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><quiz>&b;</quiz>',
        # external entity
        b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<quiz><question type='truefalse'><name><text>&x;</text></name></question></quiz>",
        # a DTD alone
        b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://example.com/q.dtd"><quiz/>',
    ],
    ids=["billion-laughs", "external-entity", "dtd"],
)
def test_xml_with_a_dtd_or_entities_is_refused(data):
    result = moodlexml.read(data)
    assert not result.questions
    assert [e.code for e in result.errors] == ["xml_forbidden"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file_empty"),
        (b"   \n", "file_empty"),
        (b"not xml at all", "xml_invalid"),
        (b"<quiz><question>", "xml_invalid"),
        (b"<html><body/></html>", "not_moodle_xml"),
        (b"<quiz></quiz>", "no_questions"),
        (b'<?xml version="1.0" encoding="klingon"?><quiz/>', "xml_invalid"),
    ],
)
def test_files_that_are_not_question_files_give_one_file_error(data, code):
    result = moodlexml.read(data)
    assert not result.questions
    [error] = result.errors
    assert (error.code, error.position) == (code, None)
    assert error.message


def test_an_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(model, "MAX_FILE_BYTES", 1000)
    result = moodlexml.read(moodle_file("truefalse.xml"))
    assert [e.code for e in result.errors] == ["file_too_large"]


def test_a_file_with_too_many_questions_is_refused(monkeypatch):
    monkeypatch.setattr(model, "MAX_QUESTIONS", 3)
    result = moodlexml.read(moodle_file("nested_categories_with_questions.xml"))
    assert [e.code for e in result.errors] == ["too_many_questions"]
    assert not result.questions


def test_absurdly_nested_markup_does_not_crash():
    text = "<b>" * 50_000 + "x" + "</b>" * 50_000
    data = quiz(
        f'<question type="multichoice"><name><text>Sâu</text></name><questiontext>'
        f"<text>{text}</text></questiontext></question>"
    )
    result = moodlexml.read(data)
    assert not result.questions
    assert [(e.code, e.name) for e in result.errors] == [("too_deep", "Sâu")]


def test_a_broken_question_does_not_stop_the_others():
    data = quiz(
        multichoice(name="hỏng", answers=answer("abc", "a") + answer(0, "b")),
        multichoice(name="tốt", answers=answer(100, "a") + answer(0, "b")),
    )
    result = moodlexml.read(data)
    assert [q.name for q in result.questions] == ["tốt"]
    assert [(e.position, e.name, e.code) for e in result.errors] == [
        (1, "hỏng", "invalid_fraction")
    ]


# --- writing -------------------------------------------------------------------------------------


def test_the_real_files_read_back_equal_after_writing():
    for name in [
        "multichoice.xml",
        "truefalse.xml",
        "nested_categories_with_questions.xml",
        "sample_questions_with_old_image_tag.xml",
        "html_chars_in_idnumbers.xml",
    ]:
        questions = read_moodle(name).questions
        again = moodlexml.read(moodlexml.write(questions))
        assert again.ok and not again.skipped
        assert again.questions == questions, name


def test_written_files_put_each_image_in_the_text_that_shows_it():
    [q] = read_moodle("multichoice.xml").questions
    written = moodlexml.write([q]).decode()
    # the flag of each option is written inside that option, as Moodle expects
    answer_uk = written[written.index("flag-uk.jpg") : written.index("</answer>")]
    assert '<file name="flag-uk.jpg" path="/" encoding="base64">' in answer_uk


def test_written_files_carry_structured_fields_as_tags():
    q = QuestionData(
        name="Q",
        qtype="truefalse",
        stem="<p>x</p>",
        options=[{"key": "true", "fraction": 1.0}, {"key": "false", "fraction": 0.0}],
        competency_code="MET-01",
        difficulty="easy",
        legal_document="Luật Đo lường 2011",
        tags=["a"],
    )
    final, errors = model.finalise(q)
    assert not errors
    written = moodlexml.write([final]).decode()
    assert "<tag><text>competency:MET-01</text></tag>" in written
    assert "<tag><text>difficulty:easy</text></tag>" in written
    assert moodlexml.read(written.encode()).questions == [final]
