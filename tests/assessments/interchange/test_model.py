"""The neutral model's rules (canonical form, grades, validation), the text helpers and the
package's entry points."""

import base64

import pytest

from assessments import interchange
from assessments.interchange import model, richtext
from assessments.interchange.model import QuestionData, finalise

from .helpers import moodle_file, read_moodle

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def single(**fields) -> QuestionData:
    defaults = {
        "name": "Q",
        "qtype": "single",
        "stem": "<p>Câu?</p>",
        "options": [{"text": "a", "fraction": 1.0}, {"text": "b", "fraction": 0.0}],
    }
    return QuestionData(**{**defaults, **fields})


def codes(question: QuestionData) -> list[str]:
    return [e.code for e in finalise(question)[1]]


# --- canonical form ------------------------------------------------------------------------------


def test_fractions_snap_to_moodles_grade_list_and_set_the_correct_flags():
    q, errors = finalise(
        single(
            qtype="multiple",
            options=[
                {"text": "a", "fraction": 0.333333},
                {"text": "b", "fraction": 1 / 3},
                {"text": "c", "fraction": 0.3333334},
                {"text": "d", "fraction": -1},
            ],
        )
    )
    assert not errors
    assert [(o["key"], o["fraction"], o["correct"]) for o in q.options] == [
        ("a", 0.3333333, True),
        ("b", 0.3333333, True),
        ("c", 0.3333333, True),
        ("d", -1.0, False),
    ]


def test_single_choice_correct_means_full_credit():
    q, _ = finalise(
        single(
            options=[
                {"text": "a", "fraction": 1.0},
                {"text": "b", "fraction": 0.5},
                {"text": "c", "fraction": 0.0},
            ]
        )
    )
    assert [o["correct"] for o in q.options] == [True, False, False]


def test_empty_option_slots_are_dropped_but_an_empty_graded_option_is_an_error():
    q, errors = finalise(
        single(options=[*single().options, {"text": " ", "fraction": 0.0, "feedback": ""}])
    )
    assert not errors and len(q.options) == 2
    assert codes(single(options=[*single().options, {"text": "", "fraction": 0.5}])) == [
        "option_empty"
    ]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (single(qtype="essay"), ["invalid_type"]),
        (single(stem="<p> </p>"), ["stem_missing"]),
        (single(stem='<img src="@@PLUGINFILE@@/a.png">'), []),
        (single(options=[{"text": "a", "fraction": 1.0}]), ["too_few_options"]),
        (
            single(options=[{"text": "a", "fraction": 0.5}, {"text": "b", "fraction": 0}]),
            ["no_full_credit"],
        ),
        (
            single(options=[{"text": "a", "fraction": 1.0}, {"text": "b", "fraction": 0.33}]),
            ["invalid_fraction"],
        ),
        (
            single(options=[{"text": str(i), "fraction": float(i == 0)} for i in range(27)]),
            ["too_many_options"],
        ),
        (
            single(options=[{"text": "a", "fraction": 1.0}, {"text": "b", "fraction": 1.0}]),
            ["single_several_correct"],
        ),
        (
            single(options=[{"text": "a" * 2001, "fraction": 1.0}, {"text": "b"}]),
            ["text_too_long"],
        ),
        (single(difficulty="very"), ["invalid_difficulty"]),
        (single(tags=["legal-effective-date:soon"]), ["invalid_date"]),
        (
            QuestionData(
                "T",
                "truefalse",
                "x",
                options=[{"key": "true", "fraction": 1.0}, {"key": "false", "fraction": 1.0}],
            ),
            ["truefalse_key"],
        ),
        (QuestionData("N", "numeric", "x", data={"answers": []}), ["no_full_credit"]),
        (
            QuestionData(
                "N",
                "numeric",
                "x",
                data={"answers": [{"value": float("nan"), "tolerance": 0, "fraction": 1.0}]},
            ),
            ["not_a_number", "no_full_credit"],
        ),
        (
            QuestionData(
                "N",
                "numeric",
                "x",
                data={
                    "answers": [{"value": 1.0, "tolerance": 0, "fraction": 1.0}],
                    "units": [{"unit": "g", "multiplier": 1000}],
                },
            ),
            ["invalid_unit"],
        ),
        (
            QuestionData(
                "N",
                "numeric",
                "x",
                data={
                    "answers": [{"value": 1.0, "tolerance": 0, "fraction": 1.0}],
                    "units": [{"unit": "kg", "multiplier": 1}, {"unit": "g", "multiplier": -1}],
                },
            ),
            ["invalid_unit"],
        ),
        (
            QuestionData("S", "shorttext", "x", data={"answers": [{"text": "a", "fraction": 0.5}]}),
            ["no_full_credit"],
        ),
        (
            QuestionData("M", "matching", "x", data={"pairs": [{"prompt": "a", "answer": ""}]}),
            ["pair_without_answer", "too_few_pairs"],
        ),
    ],
)
def test_invalid_questions_are_reported_with_a_code(question, expected):
    assert codes(question) == expected


def test_structured_tags_fill_their_fields_and_leave_the_tags():
    q, errors = finalise(
        single(
            tags=[
                " Đo lường ",
                "đo lường",
                "Competency:MET-01",
                "DIFFICULTY:Khó",
                "legal_document:Luật Đo lường 2011",
                "legal-effective-date:01/07/2012",
            ]
        )
    )
    assert not errors
    assert q.tags == ["Đo lường", "đo lường"]
    assert (q.competency_code, q.difficulty, q.legal_document) == (
        "MET-01",
        "hard",
        "Luật Đo lường 2011",
    )
    assert q.legal_effective_date.isoformat() == "2012-07-01"
    assert "competency:MET-01" in model.metadata_tags(q)


def test_moodle_category_paths_are_cleaned_and_a_code_leaf_is_the_competency():
    q, _ = finalise(single(category="$course$/top/Đo lường / MET-04"))
    assert (q.category, q.competency_code) == ("Đo lường/MET-04", "MET-04")
    q, _ = finalise(single(category="$system$/top", competency_code="RAD-01"))
    assert (q.category, q.competency_code) == ("", "RAD-01")
    q, _ = finalise(single(category="Default for X/Multichoice"))
    assert q.competency_code == ""


def test_names_are_plain_text_and_default_to_the_stem():
    q, _ = finalise(single(name="<b>Tên</b> &amp; x > 1"))
    assert q.name == "Tên & x > 1"
    q, _ = finalise(single(name="", stem="<p>" + "chữ " * 40 + "</p>"))
    assert q.name.endswith("...") and len(q.name) <= 80


def test_files_no_text_refers_to_are_dropped():
    q, _ = finalise(
        single(
            stem='<img src="@@PLUGINFILE@@/h%C3%ACnh%201.png">',
            files={"hình 1.png": PNG, "x.png": PNG},
        )
    )
    assert q.files == {"hình 1.png": PNG}


def test_the_input_question_is_not_changed():
    original = single(options=[{"text": "<b>a", "fraction": 1}, {"text": "b", "fraction": 0}])
    finalise(original)
    assert original.options[0] == {"text": "<b>a", "fraction": 1}


# --- text helpers --------------------------------------------------------------------------------


def test_data_uri_images_become_files_and_back():
    files = {}
    html = richtext.extract_data_images(
        '<p><img src="data:image/png;name=s%C6%A1%20%C4%91%E1%BB%93.png;base64,'
        + base64.b64encode(PNG).decode()
        + '" alt="x"><img src="data:image/png;base64,'
        + base64.b64encode(PNG).decode()
        + '"><img src="data:text/html;base64,PHNjcmlwdD4="></p>',
        files,
    )
    assert list(files) == [
        "sơ đồ.png",
        f"image-{richtext.hashlib.sha256(PNG).hexdigest()[:16]}.png",
    ]
    assert '<img src="@@PLUGINFILE@@/s%C6%A1%20%C4%91%E1%BB%93.png" alt="x">' in html
    # a data URI that is not an image is left for the sanitiser, which drops the whole image
    clean = richtext.sanitize_html(html)
    assert clean.endswith('.png"></p>') and "data:" not in clean and "<img>" not in clean
    inlined = richtext.inline_files(html, files)
    assert "data:image/png;name=s%C6%A1%20%C4%91%E1%BB%93.png;base64," in inlined


def test_plugin_file_references_can_be_pointed_at_stored_urls():
    html = '<img src="@@PLUGINFILE@@/a%20b.png"><img src="@@PLUGINFILE@@/c.png">'
    assert interchange.plugin_file_names(html) == {"a b.png", "c.png"}
    assert interchange.replace_plugin_files(html, {"a b.png": "/media/q/1/a b.png"}) == (
        '<img src="/media/q/1/a b.png"><img src="@@PLUGINFILE@@/c.png">'
    )


def test_markdown_subset():
    assert richtext.markdown_to_html("# Tiêu đề\n\n**đậm** và *nghiêng* `mã`\n\n- a\n- b") == (
        "<h1>Tiêu đề</h1><p><strong>đậm</strong> và <em>nghiêng</em> <code>mã</code></p>"
        "<ul><li>a</li><li>b</li></ul>"
    )


def test_image_kind_refuses_svg():
    assert richtext.image_kind(PNG) == "png"
    assert richtext.image_kind(b"<svg onload='alert(1)'/>") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("a\\b:c.png", "b_c.png"),
        ("...", ""),
        ("x" * 150 + ".png", "x" * 92 + ".png"),
    ],
)
def test_file_names_are_cleaned(name, expected):
    assert richtext.clean_filename(name) == expected


# --- entry points --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "head", "expected"),
    [
        ("bank.xml", b'<?xml version="1.0"?><quiz>', "moodlexml"),
        ("bank.txt", b"\xef\xbb\xbf<?xml version='1.0'?>", "moodlexml"),
        ("bank.xlsx", b"PK\x03\x04....", "xlsx"),
        ("bank.xml", b"PK\x03\x04....", "xlsx"),
        ("bank.gift", b"::Q::x{T}", "gift"),
        ("bank.txt", b"// c\n::Q::x{T}", "gift"),
        ("upload", b"::Q::x{T}", "gift"),
        ("upload", b"$CATEGORY: a\n", "gift"),
        ("upload", b"\x00\x01\x02", None),
        ("", b"", None),
    ],
)
def test_detect_format(filename, head, expected):
    assert interchange.detect_format(filename, head) == expected


def test_read_and_write_by_format_name():
    data = moodle_file("truefalse.xml")
    questions = interchange.read_questions(data, format="moodlexml").questions
    for fmt in interchange.FORMATS:
        written = interchange.write_questions(questions, format=fmt, warnings=[])
        assert interchange.read_questions(written, format=fmt).ok
    assert interchange.read_questions(interchange.xlsx_template(), format="xlsx").errors


# --- the bank's plain-text fields ----------------------------------------------------------------


def test_options_become_plain_text_for_the_bank_and_losses_are_named():
    [q] = read_moodle("multichoice.xml").questions
    options, data, losses = model.to_plain_payload(q)
    assert [o["text"] for o in options] == ["English", "French", "German", "Danish"]
    assert options[1]["feedback"] == "Yes, well done!"
    assert len(losses) == 4  # each option had a flag image
    q, _ = finalise(
        single(
            options=[
                {"text": "m<sup>2</sup> &amp; H<sub>2</sub>O", "fraction": 1.0},
                {"text": "b", "fraction": 0.0},
            ]
        )
    )
    options, _data, losses = model.to_plain_payload(q)
    assert options[0]["text"] == "m² & H₂O" and not losses


@pytest.mark.parametrize("fmt", interchange.FORMATS)
def test_a_plain_text_bank_goes_through_every_format_unchanged(fmt):
    bank = [
        (
            "multiple",
            [
                {"key": "a", "text": "A & B < C", "correct": True},
                {"key": "b", "text": "Phương tiện đo", "correct": True},
                {"key": "c", "text": "x", "correct": False},
            ],
            {},
        ),
        (
            "shorttext",
            [],
            {
                "answers": [{"text": "kg", "fraction": 1.0, "feedback": "Đúng <3"}],
                "case_sensitive": False,
                "ignore_diacritics": True,
            },
        ),
        (
            "matching",
            [],
            {
                "pairs": [
                    {"key": "p1", "prompt": "a < b", "answer": "c"},
                    {"key": "p2", "prompt": "d", "answer": "e"},
                ],
                "distractors": ["f"],
            },
        ),
    ]
    questions = []
    for number, (qtype, options, data) in enumerate(bank):
        options, data = model.from_plain_payload(qtype, options, data)
        q, errors = finalise(
            QuestionData(f"Q{number}", qtype, "<p>Câu?</p>", options=options, data=data)
        )
        assert not errors
        questions.append(q)
    again = interchange.read_questions(
        interchange.write_questions(questions, format=fmt), format=fmt
    ).questions
    plain = [model.to_plain_payload(q)[:2] for q in again]
    assert [o["text"] for o in plain[0][0]] == ["A & B < C", "Phương tiện đo", "x"]
    assert [(o["fraction"], o["correct"]) for o in plain[0][0]] == [
        (0.5, True),
        (0.5, True),
        (-0.5, False),
    ]
    if fmt != "xlsx":  # the template keeps no feedback per answer
        assert plain[1][1]["answers"][0]["feedback"] == "Đúng <3"
    assert plain[1][1]["ignore_diacritics"] is True
    assert [p["prompt"] for p in plain[2][1]["pairs"]] == ["a < b", "d"]
